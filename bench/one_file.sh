#!/bin/sh
# Issue 12's import target on one large police.uk file: Peel's cold job (import the ONS files
# and the file, then stats and the board paper for each of three months) and warm job (the
# same stats and papers from the store) against the pandas peer (bench/peers/pandas_pipeline.py)
# doing the same work for each of the three months, in the same run.
#
#   sh bench/one_file.sh BIG.csv [DATA]      (DATA: ../shared/data; PEEL=path/to/peel)
# BIG.csv: e.g. the two real West Yorkshire months copied month after month into one file,
# as the issue describes (BENCHMARKS.md says how the file of the recorded run was made).
set -eu
BIG=${1:?usage: sh bench/one_file.sh BIG.csv [DATA]}
DATA=${2:-../shared/data}
PEEL=${PEEL:-target/release/peel}
PY=${PYTHON:-python3}
OUT=${TMPDIR:-/tmp}/peel-one-file.$$
mkdir -p "$OUT"
MONTHS="2017-07 2017-06 2017-05"
now() { date +%s.%N; }
t0=$(now)
"$PEEL" --db "$OUT/p.db" import ons "$DATA/ons" > /dev/null
/usr/bin/time -f "peel import: %e s wall, %M KB peak" "$PEEL" --db "$OUT/p.db" import police-uk "$BIG" | tail -1
t1=$(now)
for m in $MONTHS; do
  "$PEEL" --db "$OUT/p.db" stats --force west-yorkshire --month "$m" > /dev/null
  "$PEEL" --db "$OUT/p.db" report --force west-yorkshire --month "$m" --out "$OUT/paper-$m.html" > /dev/null
done
t2=$(now)
for m in $MONTHS; do
  "$PY" "$(dirname "$0")/peers/pandas_pipeline.py" --police-uk "$BIG" \
    --ons-population "$DATA/ons/lsoa-2011-population-households.csv" \
    --ons-lookup "$DATA/ons/lsoa-2011-to-police-force.csv" \
    --harm "$DATA/harm/cchi-weights-by-prc-subgroup.csv" --force "West Yorkshire Police" --month "$m" \
    --out-html "$OUT/pandas-$m.html" --out-json "$OUT/pandas-$m.json"
done
t3=$(now)
python3 - "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:])
peel_import, peel_warm, pandas = t1 - t0, t2 - t1, t3 - t2
print(f"peel cold (import + 3 months' stats and papers): {peel_import + peel_warm:.2f} s")
print(f"peel warm (3 months' stats and papers from the store): {peel_warm:.2f} s")
print(f"pandas (3 months, each reading the file): {pandas:.2f} s")
print(f"cold: Peel {pandas / (peel_import + peel_warm):.1f}x faster; warm: {pandas / peel_warm:.1f}x faster")
PY
rm -rf "$OUT"
