#!/bin/sh
# Near repeat (the Knox test): Peel (`peel near-repeat`) and the NumPy peer
# (bench/peers/knox.py, the same definitions) on the same events, in the same run; then
# whether their observed tables are the same.
#
#   sh bench/near_repeat.sh STORE.db [peel near-repeat options]
#   e.g. sh bench/near_repeat.sh /tmp/big/peel.db --force west-midlands --month 2026-10 --months 2
#   (PEEL=path/to/peel to use another binary; PERMUTATIONS, default 999)
set -eu
DB=${1:?usage: sh bench/near_repeat.sh STORE.db [peel near-repeat options]}
shift
PEEL=${PEEL:-target/release/peel}
N=${PERMUTATIONS:-999}
OUT=${TMPDIR:-/tmp}/peel-knox.$$
mkdir -p "$OUT"
/usr/bin/time -f "peel: %e s wall, %M KB peak" "$PEEL" --db "$DB" near-repeat "$@" --permutations "$N" \
  --events-csv "$OUT/events.csv" --json > "$OUT/peel.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"peel: {d['events']} events, {d['close_pairs']} close pairs, {d['permutations']} permutations\")" "$OUT/peel.json"
BANDS=$(python3 -c "import json,sys; b=json.load(open(sys.argv[1]))['bands']; print(f\"--metres {b['metres']} --distance-bands {b['distance_bands']} --days {b['days']} --day-bands {b['day_bands']}\")" "$OUT/peel.json")
# shellcheck disable=SC2086
/usr/bin/time -f "peer: %e s wall, %M KB peak" python3 "$(dirname "$0")/peers/knox.py" "$OUT/events.csv" $BANDS \
  --permutations "$N" > "$OUT/peer.json"
python3 - "$OUT/peel.json" "$OUT/peer.json" <<'PY'
import json, sys
peel, peer = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
observed = [[c["observed"] for c in row] for row in peel["cells"]]
print(f"peer: {peer['events']} events, {peer['close_pairs']} close pairs, {peer['seconds']} s inside Python")
print("agreement: observed tables", "the same" if observed == peer["observed"] else f"DIFFER\npeel {observed}\npeer {peer['observed']}")
worst = max(abs(c["ratio"] - peer["ratio"][r][k]) for r, row in enumerate(peel["cells"]) for k, c in enumerate(row)
            if c["ratio"] is not None and peer["ratio"][r][k] == peer["ratio"][r][k])
print(f"agreement: largest difference of a ratio (different shuffles) {worst:.3f}")
PY
rm -rf "$OUT"
