"""The Knox test in plain NumPy: the peer of `peel near-repeat` (bench/near_repeat.sh).

Reads the events Peel tested (`peel near-repeat --events-csv FILE`: easting, northing, day)
and computes the same table by the same definitions (peel-analytics `near_repeat`): distance
rows "same location" (< 1 m), then bands of METRES to METRES x DISTANCE_BANDS, then beyond;
time columns of DAYS whole days each, DAY_BANDS of them, then beyond; expected = the mean
over PERMUTATIONS shuffles of the days; p = (1 + shuffles at least the observed) / (1 +
shuffles). It does what an analyst's NumPy version would do well: the close pairs found once
with a sorted sweep in chunks, each shuffle re-binned with vectorised index arithmetic and
bincount. Prints the observed table as JSON for the comparison, and the time.

    python3 knox.py EVENTS.csv --metres 200 --distance-bands 5 --days 7 --day-bands 4 --permutations 999
"""
import argparse
import json
import time

import numpy as np
import pandas as pd


def close_pairs(x, y, reach):
    """Every pair (i < j) closer than `reach`: a sweep over points sorted by x, in chunks."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    n = len(xs)
    # For each point, the points after it within `reach` in x: then the true distance.
    his = np.searchsorted(xs, xs + reach, side="left")
    I, J, D = [], [], []
    for a in range(n):
        b = np.arange(a + 1, his[a])
        if b.size == 0:
            continue
        d = np.hypot(xs[b] - xs[a], ys[b] - ys[a])
        keep = d < reach
        I.append(np.full(int(keep.sum()), a))
        J.append(b[keep])
        D.append(d[keep])
    I = order[np.concatenate(I)] if I else np.array([], dtype=np.int64)
    J = order[np.concatenate(J)] if J else np.array([], dtype=np.int64)
    D = np.concatenate(D) if D else np.array([])
    return I, J, D


def all_pairs_by_day_band(days, width, bands):
    s = np.sort(days)
    n = len(s)
    total = n * (n - 1) // 2
    below = [0]
    for k in range(1, bands + 1):
        # Pairs (i < j) with s[j] - s[i] < k * width.
        hi = np.searchsorted(s, s + k * width, side="left")
        below.append(int((hi - np.arange(n) - 1).sum()))
    out = [below[k + 1] - below[k] for k in range(bands)]
    out.append(total - below[bands])
    return np.array(out, dtype=np.int64)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("events")
    p.add_argument("--metres", type=float, default=200.0)
    p.add_argument("--distance-bands", type=int, default=5)
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--day-bands", type=int, default=4)
    p.add_argument("--permutations", type=int, default=999)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    t0 = time.perf_counter()
    ev = pd.read_csv(a.events)
    x = ev["easting"].to_numpy(float)
    y = ev["northing"].to_numpy(float)
    days = (pd.to_datetime(ev["day"]) - pd.Timestamp("1970-01-01")).dt.days.to_numpy(np.int64)
    rows, cols = a.distance_bands + 2, a.day_bands + 1
    reach = a.metres * a.distance_bands
    I, J, D = close_pairs(x, y, reach)
    row = np.where(D < 1.0, 0, 1 + np.minimum((D // a.metres).astype(np.int64), a.distance_bands - 1))
    allc = all_pairs_by_day_band(days, a.days, a.day_bands)

    def table(d):
        col = np.minimum(np.abs(d[I] - d[J]) // a.days, a.day_bands)
        close = np.bincount(row * cols + col, minlength=rows * cols).reshape(rows, cols)
        close[rows - 1] = allc - close[: rows - 1].sum(axis=0)
        return close

    observed = table(days)
    rng = np.random.default_rng(a.seed)
    total = np.zeros_like(observed, dtype=np.float64)
    at_least = np.zeros_like(observed)
    for _ in range(a.permutations):
        t = table(rng.permutation(days))
        total += t
        at_least += t >= observed
    expected = total / max(a.permutations, 1)
    p_value = (1 + at_least) / (1 + a.permutations)
    secs = time.perf_counter() - t0
    print(json.dumps({
        "events": len(x),
        "close_pairs": int(len(I)),
        "observed": observed.tolist(),
        "ratio": np.where(expected > 0, observed / np.where(expected > 0, expected, 1), np.nan).round(4).tolist(),
        "p_value": p_value.round(4).tolist(),
        "seconds": round(secs, 3),
    }))


if __name__ == "__main__":
    main()
