#!/bin/sh
# Possible duplicates in the nominal index: Peel's sweep (`peel people duplicates --sweep`)
# and the pandas peer (bench/peers/duplicates.py, the same rule) on the same store, in the
# same run; then whether they found the same pairs with the same scores.
#
#   sh bench/duplicates.sh STORE.db        (PEEL=path/to/peel to use another binary)
set -eu
DB=${1:?usage: sh bench/duplicates.sh STORE.db}
PEEL=${PEEL:-target/release/peel}
OUT=${TMPDIR:-/tmp}/peel-duplicates.$$
mkdir -p "$OUT"
/usr/bin/time -f "peel: %e s wall, %M KB peak" "$PEEL" --db "$DB" people duplicates --sweep --json --limit 0 > "$OUT/peel.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=d['sweep']; print(f\"peel: {s['people']} people, {s['found']} possible duplicates, sweep {s['seconds']:.2f} s\")" "$OUT/peel.json"
/usr/bin/time -f "peer: %e s wall, %M KB peak" python3 "$(dirname "$0")/peers/duplicates.py" "$DB" --pairs "$OUT/peer.csv"
python3 - "$OUT/peel.json" "$OUT/peer.csv" <<'PY'
import csv, json, sys
d = json.load(open(sys.argv[1]))
peel = {(p["low"]["id"], p["high"]["id"]): p["score"] for p in d["pairs"] if p["status"] == "open"}
peer = {(int(r["low"]), int(r["high"])): int(r["score"]) for r in csv.DictReader(open(sys.argv[2]))}
both = set(peel) & set(peer)
same = sum(peel[k] == peer[k] for k in both)
print(f"agreement: Peel {len(peel)} open pairs, peer {len(peer)}, both {len(both)}, same score {same}")
PY
rm -rf "$OUT"
