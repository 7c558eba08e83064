#!/usr/bin/env bash
# The weekly job on Spark against `nhip run`, in one run, on the 153,825 dated headlines of
# ../shared/data/corpus (not shipped with nhip), 50 topics (benches/topics50.toml):
#   - `nhip run` on one machine (ingest + index + trends), wall time;
#   - the Spark job on a standalone cluster of 1, then 2 workers of 1 core each, then
#     `nhip trends --counts`: wall times, scaling, topic-weeks that differ (compare.py);
#   - `nhip match` throughput per CPU second against `nhip index`'s.
# Usage: bash benches/spark.sh [HEADLINES.jsonl]   (NHIP=path to use a given release binary;
#        KEEP=1 to keep the outputs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NHIP="${NHIP:-$ROOT/target/release/nhip}"
[ -x "$NHIP" ] || cargo build -q --release -p nhip
pipelines/spark/setup.sh >/dev/null
export PYSPARK_PYTHON="${PYSPARK_PYTHON:-$(command -v python3)}"
export PYSPARK_DRIVER_PYTHON="$PYSPARK_PYTHON"
SPARK_HOME="$("$PYSPARK_PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME
OUT="$(mktemp -d)"
source pipelines/spark/cluster.sh
# KEEP=1 keeps the outputs (printed at the end) to look into differences.
if [ "${KEEP:-0}" = 1 ]; then
  trap 'stop_cluster; echo "outputs kept in $OUT"' EXIT
else
  trap 'stop_cluster; rm -rf "$OUT"' EXIT
fi
IN="${1:-}"
if [ -z "$IN" ]; then
  IN="$OUT/headlines.jsonl"
  zstd -dc ../shared/data/corpus/news_headlines_2025_2026.jsonl.zst >"$IN"
fi
TOPICS="$ROOT/benches/topics50.toml"
DOCS=$(wc -l <"$IN")
echo "== $DOCS input lines, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

cat >"$OUT/pipeline.toml" <<TOML
[job]
name = "bench"
[[source]]
path = "$IN"
[index]
path = "$OUT/single/index"
[trends]
topics = "$TOPICS"
[output]
dir = "$OUT/single"
TOML
echo "== nhip run (one machine, all cores)"
/usr/bin/time -f "nhip run: %e s wall, %U s user, %S s sys" "$NHIP" run "$OUT/pipeline.toml" 2>&1 \
  | grep -E "wall|^ingest|documents" || true

echo "== input for Spark: nhip ingest (not timed as part of the job)"
/usr/bin/time -f "nhip ingest: %e s wall" "$NHIP" ingest --out "$OUT/docs.jsonl" "$IN" 2>&1 | grep -E "wall|documents"
KEPT=$(wc -l <"$OUT/docs.jsonl")

echo "== throughput per CPU second: nhip match (one process) against nhip index"
/usr/bin/time -o "$OUT/match.time" -f "%e %U %S" "$NHIP" match --topics "$TOPICS" <"$OUT/docs.jsonl" >/dev/null
/usr/bin/time -o "$OUT/index.time" -f "%e %U %S" "$NHIP" index --index "$OUT/index-only" "$IN" 2>/dev/null
"$PYSPARK_PYTHON" - "$OUT" "$KEPT" <<'PY'
import sys
out, docs = sys.argv[1], int(sys.argv[2])
for name in ("match", "index"):
    wall, user, sys_ = map(float, open(f"{out}/{name}.time").read().split())
    print(f"nhip {name}: {wall:.1f} s wall, {user + sys_:.1f} CPU s → {docs / (user + sys_):,.0f} documents per CPU second")
PY

for workers in 1 2; do
  echo "== Spark, $workers worker(s) of 1 core"
  start_cluster "$workers" "$OUT/cluster$workers"
  start=$(date +%s.%N)
  "$SPARK_HOME/bin/spark-submit" --master "$MASTER_URL" \
    --conf spark.executor.cores=1 --conf spark.executor.memory=1500m \
    pipelines/spark/weekly_topics.py --input "$OUT/docs.jsonl" --partitions 8 \
    --topics "$TOPICS" --nhip "$NHIP" --out "$OUT/counts$workers" 2>"$OUT/job$workers.log" | tail -1
  end=$(date +%s.%N)
  stop_cluster
  echo "spark job, $workers worker(s): $(echo "$end - $start" | bc) s wall"
  "$NHIP" trends --counts "$OUT/counts$workers" --topics "$TOPICS" --out "$OUT/spark$workers" 2>/dev/null
  "$PYSPARK_PYTHON" pipelines/spark/compare.py "$OUT/single" "$OUT/spark$workers" --report-only
done
