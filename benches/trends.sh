#!/usr/bin/env bash
# Weekly topic tables over the 153,825 dated headlines in ../shared/data/corpus (not shipped with
# nhip): time of the weekly job with 50 topics, index already built, and an independent recount
# of every topic-week from README.md's matching rules. Usage: bash benches/trends.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
cargo build -q --release -p nhip
zstd -dc ../shared/data/corpus/news_headlines_2025_2026.jsonl.zst > "$OUT/headlines.jsonl"
echo "== index the headlines (not part of the weekly job)"
/usr/bin/time -f "index: %e s wall, %M KiB peak" target/release/nhip index --index "$OUT/index" "$OUT/headlines.jsonl"
echo "== weekly job, 50 topics (goal <= 2 s)"
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s wall, %M KiB peak" \
    target/release/nhip trends --index "$OUT/index" --topics benches/topics50.toml --out "$OUT/trends" 2>&1 | grep -E "stages|wall"
done
echo "== independent recount (Python, no nhip code)"
python3 benches/check_topics.py "$OUT/headlines.jsonl" benches/topics50.toml "$OUT/trends/weekly_topics.csv"
rm -rf "$OUT"
