#!/bin/sh
# Hotspots: Peel's kernel density and Gi* (`peel hotspots`) against scikit-learn's
# KernelDensity and PySAL esda's G_Local (star) on the same points and cells, in the same
# run, with the largest difference of their values.
#
#   sh bench/hotspots.sh STORE.db --force west-midlands --month 2026-11 --months 12
#   (PEEL=path/to/peel to use another binary; BANDWIDTH for the density, default 200 m;
#    GI_CELL for Gi*'s cells, default 100 m; EVERY=N for the density peer to evaluate
#    every Nth cell only — scikit-learn takes about 10 minutes for 75,000 cells)
set -eu
DB=${1:?usage: sh bench/hotspots.sh STORE.db [peel hotspots options]}
shift
PEEL=${PEEL:-target/release/peel}
H=${BANDWIDTH:-200}
CELL=${GI_CELL:-100}
OUT=${TMPDIR:-/tmp}/peel-hotspots.$$
mkdir -p "$OUT"
/usr/bin/time -f "peel kde: %e s wall, %M KB peak" "$PEEL" --db "$DB" hotspots "$@" --method kde --kernel gaussian \
  --bandwidth "$H" --json --limit 1 --geojson "$OUT/kde.geojson" --points-csv "$OUT/points.csv" > "$OUT/kde.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"peel kde: {d['events']} points, {d['area_cells']} cells of {d['cell_metres']:.0f} m\")" "$OUT/kde.json"
/usr/bin/time -f "peer kde: %e s wall, %M KB peak" python3 "$(dirname "$0")/peers/hotspots.py" kde "$OUT/points.csv" \
  "$OUT/kde.geojson" --bandwidth "$H" --every "${EVERY:-1}"
/usr/bin/time -f "peel gistar: %e s wall, %M KB peak" "$PEEL" --db "$DB" hotspots "$@" --method gistar --cell "$CELL" \
  --permutations 999 --json --limit 1 --geojson "$OUT/gi.geojson" > "$OUT/gi.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"peel gistar: {d['area_cells']} cells of {d['cell_metres']:.0f} m, 999 permutations\")" "$OUT/gi.json"
/usr/bin/time -f "peer gistar: %e s wall, %M KB peak" python3 "$(dirname "$0")/peers/hotspots.py" gistar \
  "$OUT/points.csv" "$OUT/gi.geojson" --cell "$CELL" --band 1.5 --permutations 999
rm -rf "$OUT"
