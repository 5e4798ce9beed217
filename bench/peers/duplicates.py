"""The analyst's way of finding possible duplicate people, as the peer of Peel's sweep
(`peel people duplicates --sweep`; peel-domain `nominal`).

The same rule, written as an analyst would with pandas, the Metaphone package's Double
Metaphone and rapidfuzz's Jaro-Winkler: block the records (family name's sound with the date
of birth or a postcode, given name's sound with the date of birth or a postcode, the whole
name with a postcode, the year or the month and day of birth), join each block to itself, and score every
candidate pair: same name 50, names sounding alike 40, names at least 0.90 alike in spelling
35; same date of birth +40, day and month swapped +20, one digit apart +10, otherwise -40;
a shared postcode +20; a possible duplicate at 65 or more.

Usage: python3 duplicates.py STORE.db [--pairs OUT.csv]
Prints one JSON line: people, candidate pairs, possible duplicates, seconds, peak MiB.
"""

import json
import resource
import sqlite3
import sys
import time
import unicodedata

import pandas as pd
from metaphone import doublemetaphone
from rapidfuzz.distance import JaroWinkler

APOSTROPHES = "'\u2019\u2018"


def fold(word):
    text = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in text if c.isascii() and c.isalnum())


def name_words(name):
    out, word = [], ""
    for c in name:
        if c.isalnum() or c in APOSTROPHES:
            word += c
        else:
            if word:
                out.append(word)
            word = ""
    if word:
        out.append(word)
    return [w for w in (fold(w) for w in out) if w]


def sounds(word):
    if not any("a" <= c <= "z" for c in word):
        return ()
    primary, secondary = doublemetaphone(word)
    keys = []
    for k in (primary, secondary):
        k = k[:4].lower()
        if k and k not in keys:
            keys.append(k)
    return tuple(keys)


def prepare(name, dob, postcodes):
    words = name_words(name)
    return {
        "words": words,
        "sorted": " ".join(sorted(words)),
        "sounds": [sounds(w) for w in words],
        "dob": dob,
        "postcodes": postcodes,
    }


def keys_of(p):
    words, dob = p["words"], p["dob"]
    if not words:
        return []
    family = list(p["sounds"][-1]) or [words[-1]]
    keys = []
    for s in family:
        if dob:
            keys.append(f"b|{s}|{dob}")
        for pc in p["postcodes"]:
            keys.append(f"p|{s}|{pc}")
    if len(words) > 1 and dob and p["sounds"][0]:
        keys.append(f"g|{p['sounds'][0][0]}|{dob}")
    for pc in p["postcodes"]:
        if len(words) > 1 and p["sounds"][0]:
            keys.append(f"q|{p['sounds'][0][0]}|{pc}")
        keys.append(f"s|{p['sorted']}|{pc}")
    if dob and len(dob) == 10:
        keys.append(f"y|{p['sorted']}|{dob[:4]}")
        keys.append(f"m|{p['sorted']}|{dob[5:]}")
    return keys


def alike(a, i, b, j):
    return a["words"][i] == b["words"][j] or any(k in b["sounds"][j] for k in a["sounds"][i])


def closeness(typed, name):
    total = 0.0
    for t in typed["words"]:
        total += max(JaroWinkler.similarity(t, w) for w in name["words"])
    return total / len(typed["words"])


def swapped(x, y):
    return x != y and x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]


def score(a, b):
    if not a["words"] or not b["words"]:
        return None
    if a["sorted"] == b["sorted"]:
        s = 50
    else:
        short, long_ = (a, b) if len(a["words"]) <= len(b["words"]) else (b, a)
        family = alike(a, len(a["words"]) - 1, b, len(b["words"]) - 1)
        if family and all(any(alike(short, i, long_, j) for j in range(len(long_["words"]))) for i in range(len(short["words"]))):
            s = 40
        elif min(closeness(a, b), closeness(b, a)) >= 0.90:
            s = 35
        else:
            return None
    x, y = a["dob"], b["dob"]
    if x and y:
        if x == y:
            s += 40
        elif swapped(x, y):
            s += 20
        elif len(x) == len(y) and sum(p != q for p, q in zip(x, y)) == 1:
            s += 10
        else:
            s -= 40
    if set(a["postcodes"]) & set(b["postcodes"]):
        s += 20
    return max(0, min(100, s))


def main():
    db = sys.argv[1]
    out = sys.argv[sys.argv.index("--pairs") + 1] if "--pairs" in sys.argv else None
    started = time.perf_counter()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    people = pd.read_sql_query(
        "SELECT id, name, date_of_birth FROM person WHERE merged_into IS NULL AND NOT is_business ORDER BY id", con
    )
    addresses = pd.read_sql_query("SELECT person, postcode FROM person_address", con)
    postcodes = addresses.groupby("person")["postcode"].apply(lambda s: sorted(set(s))).to_dict()
    prepared = [
        prepare(n, d, postcodes.get(i, []))
        for i, n, d in zip(people["id"], people["name"], people["date_of_birth"].where(people["date_of_birth"].notna(), None))
    ]
    rows = [(k, i) for i, p in enumerate(prepared) for k in keys_of(p)]
    blocks = pd.DataFrame(rows, columns=["key", "i"])
    del rows
    pairs = blocks.merge(blocks, on="key", suffixes=("_a", "_b"))
    pairs = pairs[pairs["i_a"] < pairs["i_b"]][["i_a", "i_b"]].drop_duplicates()
    candidates = len(pairs)
    ids = people["id"].to_numpy()
    found = []
    for a, b in zip(pairs["i_a"].to_numpy(), pairs["i_b"].to_numpy()):
        s = score(prepared[a], prepared[b])
        if s is not None and s >= 65:
            found.append((int(ids[a]), int(ids[b]), s))
    seconds = time.perf_counter() - started
    if out:
        pd.DataFrame(found, columns=["low", "high", "score"]).to_csv(out, index=False)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"people": len(people), "candidates": candidates, "found": len(found), "seconds": round(seconds, 2), "peak_mib": round(peak)}))


if __name__ == "__main__":
    main()
