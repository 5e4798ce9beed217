"""The peers of `peel hotspots` (bench/hotspots.sh): kernel density by scikit-learn's
KernelDensity and Getis-Ord Gi* by PySAL's esda.G_Local (star=True), on the points and cells
Peel used, timed, and their values compared with Peel's.

    python3 hotspots.py kde POINTS.csv CELLS.geojson --bandwidth H
    python3 hotspots.py gistar POINTS.csv CELLS.geojson --cell 250 --band 1.5 --permutations 999

KDE: sklearn's Gaussian density is a mean over the points per square metre; Peel's a sum per
square kilometre, so Peel's value = sklearn's x points x 1e6. The points are unweighted here
(Peel's --harm is not compared). Gi*: the cells are the GeoJSON's (the study area, empty cells
included), weights binary within band x cell metres, the cell itself included (star).
"""
import argparse
import json
import time

import numpy as np
import pandas as pd


def cells_of(path):
    doc = json.load(open(path))
    props = [f["properties"] for f in doc["features"]]
    e = np.array([p["easting"] for p in props])
    n = np.array([p["northing"] for p in props])
    value = np.array([p["value"] for p in props])
    count = np.array([p["count"] for p in props])
    return e, n, value, count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("method", choices=["kde", "gistar"])
    ap.add_argument("points")
    ap.add_argument("cells")
    ap.add_argument("--bandwidth", type=float)
    ap.add_argument("--cell", type=float, default=250.0)
    ap.add_argument("--band", type=float, default=1.5)
    ap.add_argument("--permutations", type=int, default=999)
    ap.add_argument("--every", type=int, default=1, help="KDE: evaluate every Nth cell only (the time is for those)")
    a = ap.parse_args()
    pts = pd.read_csv(a.points)
    e, n, value, count = cells_of(a.cells)
    out = {"cells": len(e), "points": len(pts)}
    if a.method == "kde":
        from sklearn.neighbors import KernelDensity

        t0 = time.perf_counter()
        kde = KernelDensity(kernel="gaussian", bandwidth=a.bandwidth, rtol=0.0, atol=0.0)
        kde.fit(pts[["easting", "northing"]].to_numpy())
        e, n, value = e[:: a.every], n[:: a.every], value[:: a.every]
        dens = np.exp(kde.score_samples(np.column_stack([e, n])))
        out["seconds"] = round(time.perf_counter() - t0, 3)
        out["cells_evaluated"] = len(e)
        theirs = dens * len(pts) * 1e6
        peak = theirs.max()
        out["largest_difference_of_peak"] = float(np.abs(theirs - value).max() / peak)
        out["largest_relative_difference_where_over_1e-6_of_peak"] = float(
            (np.abs(theirs - value) / theirs)[theirs > 1e-6 * peak].max()
        )
    else:
        from libpysal.weights import DistanceBand
        from esda.getisord import G_Local

        t0 = time.perf_counter()
        w = DistanceBand(np.column_stack([e, n]), threshold=a.band * a.cell + 1e-6, binary=True, silence_warnings=True)
        g = G_Local(count, w, transform="B", star=True, permutations=a.permutations, seed=1)
        out["seconds"] = round(time.perf_counter() - t0, 3)
        out["largest_z_difference"] = float(np.abs(g.Zs - value).max())
        out["significant_5pct_esda_p_sim"] = int((g.p_sim < 0.05).sum())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
