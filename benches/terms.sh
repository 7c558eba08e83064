#!/usr/bin/env bash
# Term proposals on the shared corpora in ../shared/data/corpus (not shipped with nhip): the top
# 50 of `nhip terms` on the 1,396 full-text articles and on the 153,825 headlines, each measured
# by the terms_quality example (share of occurrences inside boilerplate, dictionary, kept whole
# by the model). With an older nhip binary as argument, its lists are measured the same way.
# The lists (with example sentences from the corpus: never commit them) are left in a temporary
# folder, printed at the end, for judging by hand.
# Usage: bash benches/terms.sh [OLD_NHIP_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
LISTS=$(mktemp -d)
cargo build -q --release -p nhip --example terms_quality
zstd -dc ../shared/data/corpus/news_fulltext_dated_2026.jsonl.zst > "$OUT/full.jsonl"
zstd -dc ../shared/data/corpus/news_headlines_2025_2026.jsonl.zst > "$OUT/headlines.jsonl"
declare -A BINARIES=([after]=target/release/nhip)
if [ $# -ge 1 ]; then BINARIES[before]=$1; fi
for corpus in full headlines; do
  for version in "${!BINARIES[@]}"; do
    list="$LISTS/terms-$corpus-$version.txt"
    echo "== $corpus, $version"
    /usr/bin/time -f "nhip terms: %e s wall, %M KiB peak" \
      "${BINARIES[$version]}" terms --limit 50 "$OUT/$corpus.jsonl" > "$list" 2> "$OUT/stderr"
    grep -E "^boilerplate|wall" "$OUT/stderr" || true
    target/release/examples/terms_quality "$OUT/$corpus.jsonl" "$list" 50 | tail -1
  done
done
rm -rf "$OUT"
echo "lists in $LISTS"
