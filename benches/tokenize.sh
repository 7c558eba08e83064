#!/usr/bin/env bash
# Issue 12.5: `nhip tokenize` throughput through the command line, beside coccoc-tokenizer on the
# same input in the same run. Reads ../shared (not shipped with nhip).
#
#   bash benches/tokenize.sh [MB] [RUNS]      (defaults: 60 MB of VNTC article text, 3 runs)
#
# Builds coccoc-tokenizer once into target/bench-cache/coccoc (its build script downloads two
# dictionary files from PyPI) and the input once into target/bench-cache: the `body` fields of
# vntc_fulltext.jsonl.zst as plain text lines, cut at a line end after MB megabytes.
# Each run times, in turn:
#   coccoc        its harness's own figure: Tokenizer::segment_original() calls alone, the file
#                 already in memory, no output formatting or writing (see bench_coccoc.cpp)
#   nhip t1       `nhip tokenize --threads 1 --input FILE > OUT`, wall time of the whole process
#                 (model load, reading, UTF-8 check, segmentation, writing the output file)
#   nhip default  the same with the default threads (all cores)
#   library       Segmenter::segment_lines over the text in memory (segment_speed --lines-only)
#   before        only when NHIP_BEFORE=path/to/an/older/nhip is set: that binary's
#                 `nhip tokenize --threads 1 --input FILE > OUT` (one core, as nhip t1), its output
#                 compared line by line
# MB/s are 10^6 bytes of input per second.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-60}
RUNS=${2:-3}
CACHE=target/bench-cache
mkdir -p "$CACHE"
if [ ! -x "$CACHE/coccoc/bench_coccoc" ]; then
  bash ../shared/peers/coccoc-tokenizer/build.sh "$CACHE/coccoc"
fi
INPUT=$CACHE/vntc_${MB}MB.txt
if [ ! -s "$INPUT" ]; then
  # head closes the pipe early on purpose; the last (cut) line is dropped.
  (set +o pipefail
   zstd -dc ../shared/data/corpus/vntc_fulltext.jsonl.zst | jq -r '.body // empty' \
     | head -c $((MB * 1000000)) | sed '$d' > "$INPUT.tmp")
  mv "$INPUT.tmp" "$INPUT"
fi
cargo build -q --release -p nhip
cargo build -q --release -p nhip-text --example segment_speed
NHIP=target/release/nhip
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
BYTES=$(wc -c < "$INPUT")
LINES=$(wc -l < "$INPUT")
echo "input: $INPUT, $BYTES bytes, $LINES lines; $(nproc) cores"
echo "load before: $(uptime)"

# Prints the MB/s of a command's wall time (its output goes to $OUT/$1.txt).
timed() {
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$OUT/$name.txt"
  end=$(date +%s.%N)
  awk -v b="$BYTES" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", b / 1e6 / (e - s) }'
}

declare -a COCCOC T1 TN LIB BEFORE
for run in $(seq 1 "$RUNS"); do
  c=$("$CACHE/coccoc/bench_coccoc" "$CACHE/coccoc/dicts" "$INPUT" "$OUT/coccoc.txt" 0 2>/dev/null \
      | sed 's/.*"MB_per_s": \([0-9.]*\).*/\1/')
  t1=$(timed nhip1 "$NHIP" tokenize --threads 1 --input "$INPUT")
  tn=$(timed nhipN "$NHIP" tokenize --input "$INPUT")
  lib=$(target/release/examples/segment_speed "$INPUT" 1 --lines-only | sed 's/.*: \([0-9.]*\) MB\/s.*/\1/')
  before=0
  if [ -n "${NHIP_BEFORE:-}" ]; then before=$(timed before "$NHIP_BEFORE" tokenize --threads 1 --input "$INPUT"); fi
  COCCOC+=("$c"); T1+=("$t1"); TN+=("$tn"); LIB+=("$lib"); BEFORE+=("$before")
  awk -v r="$run" -v before="$before" -v c="$c" -v t1="$t1" -v tn="$tn" -v lib="$lib" 'BEGIN {
    printf "run %d: coccoc %.1f MB/s | nhip --threads 1 %.1f MB/s (%.2fx coccoc) | nhip default threads %.1f MB/s (%.2fx) | library %.1f MB/s",
      r, c, t1, t1 / c, tn, tn / c, lib
    if (before > 0) printf " | before %.1f MB/s", before
    printf "\n" }'
done
echo "load after: $(uptime)"

# best and median of each column
summary() {
  local name=$1
  shift
  printf '%s\n' "$@" | sort -g | awk -v n="$name" '{ v[NR] = $1 } END {
    printf "%-24s best %.1f  median %.1f MB/s\n", n, v[NR], v[int((NR + 1) / 2)] }'
}
summary "coccoc" "${COCCOC[@]}"
summary "nhip --threads 1" "${T1[@]}"
summary "nhip default threads" "${TN[@]}"
summary "library segment_lines" "${LIB[@]}"
if [ -n "${NHIP_BEFORE:-}" ]; then summary "before ($NHIP_BEFORE)" "${BEFORE[@]}"; fi

echo "== sanity of the outputs"
cmp -s "$OUT/nhip1.txt" "$OUT/nhipN.txt" && echo "nhip: --threads 1 and default threads give identical output"
if [ -n "${NHIP_BEFORE:-}" ]; then
  if cmp -s "$OUT/before.txt" "$OUT/nhip1.txt"; then
    echo "nhip: output byte-identical to $NHIP_BEFORE"
  else
    changed=$(paste -d '\n' "$OUT/before.txt" "$OUT/nhip1.txt" | paste - - -d '\t' | awk -F '\t' '$1 != $2' | wc -l)
    echo "nhip: $changed of $LINES output lines differ from $NHIP_BEFORE's"
  fi
fi
for name in coccoc nhip1; do
  awk -v n="$name" '{ words += NF; for (i = 1; i <= NF; i++) if ($i ~ /_/) joined++ }
    END { printf "%-7s %d lines, %d words, %.1f%% of them multi-syllable\n", n, NR, words, 100 * joined / words }' \
    "$OUT/$name.txt"
done
