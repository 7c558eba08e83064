#!/usr/bin/env bash
# Indexing throughput on the 84,132 VNTC full-text articles (../shared/data/corpus, not shipped):
# nhip index (ingest + Vietnamese analysis + index) beside plain tantivy with its default
# tokenizer on the same documents, in the same run: once with a title and a body field, once
# with nhip's field layout (title and body twice with positions, two word fields with
# frequencies). Usage: bash benches/index.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
cargo build -q --release -p nhip
cargo build -q --release -p nhip-index --example index_baseline
zstd -dc ../shared/data/corpus/vntc_fulltext.jsonl.zst > "$OUT/vntc.jsonl"
for run in 1 2; do
  rm -rf "$OUT"/i*
  /usr/bin/time -f "  run $run: %e s wall, %U s user, %M KiB peak" target/release/examples/index_baseline "$OUT/vntc.jsonl" "$OUT/i1"
  /usr/bin/time -f "  run $run: %e s wall, %U s user, %M KiB peak" target/release/examples/index_baseline "$OUT/vntc.jsonl" "$OUT/i2" --nhip-layout
  /usr/bin/time -f "  nhip index, run $run: %e s wall, %U s user, %M KiB peak" target/release/nhip index --index "$OUT/i3" "$OUT/vntc.jsonl" 2>&1 | grep -E "^index:|wall"
done
rm -rf "$OUT"
