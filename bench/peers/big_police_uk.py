"""Writes one large police.uk street-level file from the real ones, for issue 12's import
target: the given months copied COPIES times, month after month, each copy's Crime IDs made
unique by its first hex digit pair and its Month rewritten to the copy's month.

    python3 bench/peers/big_police_uk.py OUT.csv COPIES FILE.csv [FILE.csv ...]

With the two real West Yorkshire months of ../shared/data/police-uk and COPIES = 27 it writes
54 months (Feb 2013 to Jul 2017), 1,504,251 rows: the file BENCHMARKS.md calls big.csv.
"""
import csv
import sys

out, copies, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
months = []
for f in files:
    with open(f, newline="", encoding="utf-8") as fh:
        r = csv.reader(fh)
        header = next(r)
        months.append(list(r))
n = copies * len(months)
# The last month written is 2017-07; the first n - 1 months before it.
y, m = 2017, 7
labels = []
for _ in range(n):
    labels.append(f"{y:04d}-{m:02d}")
    m -= 1
    if m == 0:
        y, m = y - 1, 12
labels.reverse()
with open(out, "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(header)
    for i, label in enumerate(labels):
        rows = months[i % len(months)]
        prefix = f"{i:02x}"
        for row in rows:
            row = list(row)
            if len(row[0]) == 64:
                row[0] = prefix + row[0][2:]
            row[1] = label
            w.writerow(row)
print(f"{out}: {sum(len(months[i % len(months)]) for i in range(n))} rows, {n} months")
