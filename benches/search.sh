#!/usr/bin/env bash
# Query latency and indexing memory at about 1.5 million documents: the 84k VNTC articles plus
# the 153k dated headlines replicated 9 times (benches/replicate.py), indexed by nhip in one
# run (peak memory goal <= 1 GB), then the 57 queries of benches/queries.txt, top 10 with
# snippets, 5 runs each after a warm-up (p99 goal <= 20 ms). The indexing runs twice: with the
# machine's memory free (max RSS, which counts mapped index files, and peak heap), and inside
# a hard 1 GiB memory limit (benches/memory_limit.sh; needs root, skipped otherwise).
# Needs ../shared/data/corpus and ~6 GB of disk. Usage: bash benches/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
cargo build -q --release -p nhip
cargo build -q --release -p nhip-index --example query_latency
zstd -dc ../shared/data/corpus/vntc_fulltext.jsonl.zst > "$OUT/vntc.jsonl"
zstd -dc ../shared/data/corpus/news_headlines_2025_2026.jsonl.zst > "$OUT/headlines.jsonl"
python3 benches/replicate.py "$OUT/vntc.jsonl" "$OUT/headlines.jsonl" 9 > "$OUT/big.jsonl"
wc -l "$OUT/big.jsonl"
# Peak anonymous memory (the heap: what the kernel cannot reclaim) of the running nhip index.
sample_heap() {
  local peak=0 pid kb
  sleep 1
  pid=$(pgrep -n -f "target/release/nhip index") || return 0
  while kill -0 "$pid" 2>/dev/null; do
    kb=$(awk '/^RssAnon/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$peak" ] && peak=$kb
    sleep 1
  done
  echo "  peak heap (RssAnon, sampled each second): $((peak / 1024)) MiB"
}
sample_heap &
/usr/bin/time -f "index: %e s wall, %U s user, %M KiB max RSS" target/release/nhip index --index "$OUT/index" "$OUT/big.jsonl" 2>&1 | grep -E "^ingest:|^index:|wall"
wait
du -sh "$OUT/index"
echo "the same, inside a hard 1 GiB memory limit:"
sample_heap &
bash benches/memory_limit.sh $((1024 * 1024 * 1024)) /usr/bin/time -f "index (1 GiB limit): %e s wall, %U s user, %M KiB max RSS, exit %x" \
  target/release/nhip index --index "$OUT/index-limited" "$OUT/big.jsonl" 2>&1 | grep -E "^index|wall|memory_limit" || true
wait
rm -rf "$OUT/index-limited"
for run in 1 2; do
  target/release/examples/query_latency "$OUT/index" benches/queries.txt
done
rm -rf "$OUT"
