#!/usr/bin/env bash
# Query latency and indexing memory at about 1.5 million documents: the 84k VNTC articles plus
# the 153k dated headlines replicated 9 times (benches/replicate.py), indexed by nhip in one
# run (peak memory goal <= 1 GB), then the 57 queries of benches/queries.txt, top 10 with
# snippets, 5 runs each after a warm-up (p99 goal <= 20 ms). Needs ../shared/data/corpus and
# ~6 GB of disk. Usage: bash benches/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
cargo build -q --release -p nhip
cargo build -q --release -p nhip-index --example query_latency
zstd -dc ../shared/data/corpus/vntc_fulltext.jsonl.zst > "$OUT/vntc.jsonl"
zstd -dc ../shared/data/corpus/news_headlines_2025_2026.jsonl.zst > "$OUT/headlines.jsonl"
python3 benches/replicate.py "$OUT/vntc.jsonl" "$OUT/headlines.jsonl" 9 > "$OUT/big.jsonl"
wc -l "$OUT/big.jsonl"
/usr/bin/time -f "index: %e s wall, %U s user, %M KiB peak" target/release/nhip index --index "$OUT/index" "$OUT/big.jsonl" 2>&1 | grep -E "^ingest:|^index:|wall"
du -sh "$OUT/index"
for run in 1 2; do
  target/release/examples/query_latency "$OUT/index" benches/queries.txt
done
rm -rf "$OUT"
