#!/usr/bin/env python3
"""Compares the trend outputs of `nhip run` (SINGLE) with those of `nhip trends --counts` after
the Spark job (SPARK), as README.md ("Trends on a Spark cluster") says they relate:

- weekly_topics: every column equal, except `stories` (on one machine a story depends on the
  order documents were written in; see README);
- emerging_terms: every column equal except `example_ids`;
- forecast: equal;
- brief.md: equal except the document lists under highlighted topics.

With --counts COUNTS_DIR, Spark's `stories` are also recomputed here from the job's per-document
facts (COUNTS_DIR/documents): two documents are one story when they share a MinHash band and
agree on at least half their signature values, transitively; every topic-week's stories must
be the number of such stories among its documents.

Prints the differing topic-weeks per column; exits 1 when a rule is broken.
Usage: compare.py SINGLE_DIR SPARK_DIR [--counts COUNTS_DIR] [--report-only]
"""

import csv
import glob
import json
import sys


def stories_rule(counts_dir):
    """Stories per (topic, week_start) by the rule, recomputed with a union-find."""
    docs = []
    for path in sorted(glob.glob(f"{counts_dir}/documents/*.json")):
        with open(path, encoding="utf-8") as f:
            docs.extend(json.loads(line) for line in f if line.strip())
    parent = list(range(len(docs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_band = {}
    for i, d in enumerate(docs):
        for band in d.get("bands") or []:
            by_band.setdefault(band, []).append(i)
    for members in by_band.values():
        for n, i in enumerate(members):
            for j in members[n + 1:]:
                a, b = docs[i]["minhash"], docs[j]["minhash"]
                same = sum(x == y for x, y in zip(a, b))
                if a and len(a) == len(b) and same * 2 >= len(a):
                    parent[find(i)] = find(j)
    stories = {}
    for i, d in enumerate(docs):
        if d.get("week_start"):
            for topic in d.get("topics") or []:
                stories.setdefault((topic, d["week_start"]), set()).add(find(i))
    return {k: len(v) for k, v in stories.items()}


def rows(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    single, spark = sys.argv[1], sys.argv[2]
    report_only = "--report-only" in sys.argv
    broken = []
    a, b = rows(f"{single}/weekly_topics.csv"), rows(f"{spark}/weekly_topics.csv")
    if len(a) != len(b):
        broken.append(f"weekly_topics: {len(a)} rows against {len(b)}")
    differing = {}
    for x, y in zip(a, b):
        if (x["topic"], x["week_start"]) != (y["topic"], y["week_start"]):
            broken.append(f"weekly_topics: row order differs at {x['topic']} {x['week_start']}")
            break
        for column in x:
            if x[column] != y.get(column):
                differing.setdefault(column, []).append((x["topic"], x["week_start"], x[column], y.get(column)))
    print(f"weekly_topics: {len(a)} topic-weeks; differing per column:",
          {c: len(v) for c, v in differing.items()} or "none")
    for column, diffs in differing.items():
        if column != "stories":
            broken.append(f"{column} differs: {diffs[:5]}")
    if "--counts" in sys.argv:
        expected = stories_rule(sys.argv[sys.argv.index("--counts") + 1])
        wrong = [(y["topic"], y["week_start"], y["stories"], expected.get((y["topic"], y["week_start"]), 0))
                 for y in b if int(y["stories"]) != expected.get((y["topic"], y["week_start"]), 0)]
        print(f"stories by the rule (band + similarity, transitively): {len(wrong)} topic-weeks differ")
        if wrong:
            broken.append(f"stories do not follow the rule: {wrong[:5]}")
        if not any(expected.values()):
            broken.append("no stories recomputed: documents table missing?")

    ea, eb = rows(f"{single}/emerging_terms.csv"), rows(f"{spark}/emerging_terms.csv")
    strip = lambda r: {k: v for k, v in r.items() if k != "example_ids"}  # noqa: E731
    same_terms = len(ea) == len(eb) and all(strip(x) == strip(y) for x, y in zip(ea, eb))
    print(f"emerging_terms: {len(ea)} against {len(eb)} rows, equal but example ids: {same_terms}")
    if not same_terms:
        broken.append("emerging_terms differ")

    fa, fb = rows(f"{single}/forecast.csv"), rows(f"{spark}/forecast.csv")
    print(f"forecast: equal: {fa == fb}")
    if fa != fb:
        broken.append("forecast differs")

    def brief(path):
        # The document lists (only a ranked index can give them) are left out.
        with open(path, encoding="utf-8") as f:
            return [l for l in f.read().splitlines()
                    if not l.startswith(("- **", "  ")) and not l.startswith("Văn bản tiêu biểu")
                    and not l.startswith("Không có văn bản nào trong tuần")]
    same_brief = brief(f"{single}/brief.md") == brief(f"{spark}/brief.md")
    print(f"brief.md: equal but the document lists: {same_brief}")
    if not same_brief:
        broken.append("brief differs")

    for b_ in broken:
        print("BROKEN:", b_)
    sys.exit(1 if broken and not report_only else 0)


if __name__ == "__main__":
    main()
