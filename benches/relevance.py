"""Relevance of `nhip search` on the headline corpus, judged by a stated rule.

For every query of benches/relevance/queries.tsv (as an analyst types it, with the accented
phrase(s) the analyst means), a document is relevant when it holds every intended phrase: the
phrase's syllables in sequence inside one sentence of the title or the body, with exactly its
diacritics (any case or tone placement). The scan is this script's own (benches/check_topics.py's
tokeniser, no nhip code). Reported per binary:

- precision of the total: the share of all hits (every hit, via --export) that are relevant;
- recall of the total: the share of the collection's relevant documents among the hits;
- P@10: relevant hits among the first 10 (or among all hits when fewer);
- nDCG@10: binary gains, the ideal ranking putting min(10, relevant documents) first.

    python3 benches/relevance.py NHIP_BINARY INDEX_DIR DOCS.jsonl QUERIES.tsv [--top FILE]

`--top FILE` writes each query's top 10 (id, relevant, title) for checking by hand.
"""
import json, math, os, subprocess, sys, tempfile, unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_topics import phrase_words, phrase_in, syllables  # noqa: E402


def load_queries(path):
    queries = []
    for line in open(path, encoding='utf-8'):
        if not line.strip() or line.startswith('#'):
            continue
        typed, intended, unambiguous = line.rstrip('\n').split('\t')
        phrases = [phrase_words(p.strip()) for p in intended.split(' + ')]
        queries.append((typed, intended, unambiguous == 'yes', phrases))
    return queries


def load_docs(path):
    """Documents tokenised once per mode, exact duplicates merged as nhip merges them."""
    docs, seen = {}, set()
    for line in open(path, encoding='utf-8'):
        d = json.loads(line)
        title, body = d.get('title') or '', d.get('body') or ''
        key = (unicodedata.normalize('NFC', title.strip()), unicodedata.normalize('NFC', body.strip()))
        if key in seen:
            continue
        seen.add(key)
        docs[d['id']] = ({mode: [s for f in (title, body) for s in syllables(f, mode)] for mode in (False, True)},
                         title)
    return docs


def relevant(doc, phrases):
    return all(phrase_in(doc, p) for p in phrases)


def hits_of(output):
    """Hit ids from `--json` output: one object (nhip now) or one line per hit (nhip before)."""
    text = output.strip()
    if not text:
        return []
    try:
        answer = json.loads(text)
        if isinstance(answer, dict) and 'hits' in answer:
            return [h['id'] for h in answer['hits']]
    except json.JSONDecodeError:
        pass
    return [json.loads(line)['id'] for line in text.splitlines()]


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, check=True).stdout


def main():
    binary, index, docs_path, queries_path = sys.argv[1:5]
    top_file = sys.argv[sys.argv.index('--top') + 1] if '--top' in sys.argv else None
    queries = load_queries(queries_path)
    docs = load_docs(docs_path)
    rows, tops = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for typed, intended, unambiguous, phrases in queries:
            top = hits_of(run(binary, 'search', '--index', index, '--json', '--limit', '10', typed))
            export = os.path.join(tmp, 'all.jsonl')
            run(binary, 'search', '--index', index, '--export', export, typed)
            everything = [json.loads(line)['id'] for line in open(export, encoding='utf-8')]
            judged = [relevant(docs[i][0], phrases) for i in everything]
            total_relevant = sum(1 for d, _ in docs.values() if relevant(d, phrases))
            top_judged = [relevant(docs[i][0], phrases) for i in top]
            k = len(top_judged)
            p10 = sum(top_judged) / k if k else 0.0
            dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(top_judged) if r)
            ideal = sum(1 / math.log2(i + 2) for i in range(min(10, total_relevant)))
            rows.append({
                'query': typed, 'intended': intended, 'unambiguous': unambiguous,
                'hits': len(everything), 'relevant_hits': sum(judged), 'relevant_in_collection': total_relevant,
                'precision': sum(judged) / len(everything) if everything else None,
                'recall': sum(judged) / total_relevant if total_relevant else None,
                'p10': p10 if k else None, 'ndcg10': dcg / ideal if ideal else None,
            })
            tops.append((typed, intended, [(i, r, docs[i][1]) for i, r in zip(top, top_judged)]))

    def mean(key, subset):
        values = [r[key] for r in subset if r[key] is not None]
        return sum(values) / len(values) if values else float('nan')

    print(f"{'query':28} {'hits':>7} {'relevant':>8} {'prec':>6} {'recall':>6} {'P@10':>5} {'nDCG':>5}")
    for r in rows:
        fmt = lambda v: '   -  ' if v is None else f'{v:6.3f}'
        print(f"{r['query'][:28]:28} {r['hits']:7d} {r['relevant_hits']:8d} {fmt(r['precision'])} "
              f"{fmt(r['recall'])} {fmt(r['p10'])[1:]} {fmt(r['ndcg10'])[1:]}{'' if r['unambiguous'] else '  (ambiguous)'}")
    for label, subset in (('all queries', rows), ('unambiguous', [r for r in rows if r['unambiguous']]),
                          ('ambiguous', [r for r in rows if not r['unambiguous']])):
        pooled = sum(r['relevant_hits'] for r in subset) / max(1, sum(r['hits'] for r in subset))
        print(f"{label} ({len(subset)}): precision of the total mean {mean('precision', subset):.3f} "
              f"(pooled {pooled:.3f}), recall {mean('recall', subset):.3f}, "
              f"P@10 {mean('p10', subset):.3f}, nDCG@10 {mean('ndcg10', subset):.3f}")
    if top_file:
        with open(top_file, 'w', encoding='utf-8') as out:
            for typed, intended, top in tops:
                out.write(f"## {typed}  →  {intended}\n")
                for i, r, title in top:
                    out.write(f"{'+' if r else '-'} {i}  {title}\n")
                out.write('\n')


if __name__ == '__main__':
    main()
