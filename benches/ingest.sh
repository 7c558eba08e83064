#!/usr/bin/env bash
# Ingest throughput (parse + normalise + date + language + hash + MinHash + de-duplicate, no
# index) on the 84,132 VNTC full-text articles in ../shared/data/corpus (not shipped with nhip),
# both cores, beside a floor measured in the same run: serde_json parsing the same lines on all
# cores and nothing else. Usage: bash benches/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(mktemp -d)
cargo build -q --release -p nhip
cargo build -q --release -p nhip-ingest --example parse_baseline
zstd -dc ../shared/data/corpus/vntc_fulltext.jsonl.zst > "$OUT/vntc.jsonl"
for run in 1 2 3; do
  /usr/bin/time -f "  parse only, run $run: %e s wall, %M KiB peak" target/release/examples/parse_baseline "$OUT/vntc.jsonl"
  /usr/bin/time -f "  nhip ingest, run $run: %e s wall, %M KiB peak" target/release/nhip ingest "$OUT/vntc.jsonl" 2>&1 | grep -E "files:|wall"
done
rm -rf "$OUT"
