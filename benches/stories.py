"""Near-duplicate stories: how many stories the indexed documents collapse into, and a seeded
random sample of merged pairs to judge by hand. Reads an export made with
`nhip search --index INDEX --export all.jsonl kind:press`. The sample is printed with ids and
text for the reviewer; BENCHMARKS.md records only ids and verdicts (the text belongs to its
publishers). Usage: python3 benches/stories.py all.jsonl [SAMPLE_SIZE] [SEED]"""
import collections
import json
import random
import sys

path = sys.argv[1]
size = int(sys.argv[2]) if len(sys.argv) > 2 else 40
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
docs = [json.loads(line) for line in open(path, encoding="utf-8")]
stories = collections.defaultdict(list)
for d in docs:
    stories[d["story"]].append(d)
multi = [s for s in stories.values() if len(s) > 1]
print(f"{len(docs)} documents -> {len(stories)} stories; {len(multi)} stories hold "
      f"{sum(len(s) for s in multi)} documents; largest {max(len(s) for s in stories.values())}")
sizes = collections.Counter(min(len(s), 10) for s in multi)
print("stories by size (10 = 10 or more):", dict(sorted(sizes.items())))
rng = random.Random(seed)
multi.sort(key=lambda s: min(d["id"] for d in s))
for n, story in enumerate(rng.sample(multi, min(size, len(multi))), 1):
    a, b = rng.sample(sorted(story, key=lambda d: d["id"]), 2)
    print(f"\n#{n} story {a['story']} ({len(story)} docs)")
    for d in (a, b):
        print(f"  {d['id']} | {d.get('source')} | {d.get('published_at')}")
        print(f"    {d['title']}")
        print(f"    {(d.get('snippet') or {}).get('text', '')[:160]}")
