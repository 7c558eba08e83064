#!/usr/bin/env bash
# The Spark path against the single-machine one, on a real standalone cluster: a master and two
# workers (1 core each) on 127.0.0.1, started here and stopped on exit. Runs the job on the
# sample corpus (plus a malformed line and an exact copy), then `nhip trends --counts`, and
# compares with `nhip run pipelines/weekly.toml` (pipelines/spark/compare.py says how).
#   pipelines/spark/test.sh            (NHIP=path/to/nhip to use another build)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

pipelines/spark/setup.sh >/dev/null
export PYSPARK_PYTHON="${PYSPARK_PYTHON:-$(command -v python3)}"
export PYSPARK_DRIVER_PYTHON="$PYSPARK_PYTHON"
NHIP="${NHIP:-$ROOT/target/debug/nhip}"
if [ ! -x "$NHIP" ]; then
  cargo build -q -p nhip
fi
SPARK_HOME="$("$PYSPARK_PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME
WORK="$(mktemp -d)"
source pipelines/spark/cluster.sh
stop() {
  stop_cluster
  rm -rf "$WORK"
}
trap stop EXIT
start_cluster 2 "$WORK"

# The single-machine run.
"$NHIP" run pipelines/weekly.toml --out "$WORK/single" 2>/dev/null
# The same documents through `nhip ingest`, then a malformed line and an exact copy under
# another id, which the job must count as rejected and as a duplicate.
"$NHIP" ingest --out "$WORK/docs.jsonl" data/sample/press.jsonl data/sample/reports 2>/dev/null
echo '{"id": "broken", "title": ' >>"$WORK/docs.jsonl"
head -n 1 "$WORK/docs.jsonl" | sed 's/"id":"\([^"]*\)"/"id":"zz-copy-of-\1"/' >>"$WORK/docs.jsonl"

"$SPARK_HOME/bin/spark-submit" --master "$MASTER_URL" \
  --conf spark.executor.cores=1 --conf spark.cores.max=2 \
  pipelines/spark/weekly_topics.py --input "$WORK/docs.jsonl" --partitions 4 \
  --topics pipelines/topics.toml --nhip "$NHIP" --out "$WORK/counts" 2>"$WORK/logs/job.log" \
  || { tail -40 "$WORK/logs/job.log"; exit 1; }
"$NHIP" trends --counts "$WORK/counts" --topics pipelines/topics.toml --out "$WORK/spark" 2>/dev/null

# Nothing lost: the bad line is a reject, the copy a duplicate, undated documents as `nhip run`.
"$PYSPARK_PYTHON" - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
spark = json.load(open(f"{work}/counts/summary.json"))
single = json.load(open(f"{work}/single/summary.json"))
print("job summary:", spark)
assert spark["rejected"] == 1, spark
assert spark["duplicates"] == 1, spark
assert spark["undated"] == single["undated_left_out_of_trends"], (spark, single)
assert spark["documents"] == single["documents_in_index"], (spark, single)
PY
"$PYSPARK_PYTHON" pipelines/spark/compare.py "$WORK/single" "$WORK/spark" --counts "$WORK/counts"

# The same documents as Parquet (`nhip ingest --format parquet`) give the same tables.
"$NHIP" ingest --format parquet --out "$WORK/docs.parquet" data/sample/press.jsonl data/sample/reports 2>/dev/null
"$SPARK_HOME/bin/spark-submit" --master "$MASTER_URL" \
  --conf spark.executor.cores=1 --conf spark.cores.max=2 \
  pipelines/spark/weekly_topics.py --format parquet --input "$WORK/docs.parquet" --partitions 4 \
  --topics pipelines/topics.toml --nhip "$NHIP" --out "$WORK/counts-parquet" 2>"$WORK/logs/job-parquet.log" \
  || { tail -40 "$WORK/logs/job-parquet.log"; exit 1; }
"$NHIP" trends --counts "$WORK/counts-parquet" --topics pipelines/topics.toml --out "$WORK/spark-parquet" 2>/dev/null
for table in weekly_topics emerging_terms forecast; do
  cmp "$WORK/spark/$table.csv" "$WORK/spark-parquet/$table.csv"
done
echo "parquet input: same tables as JSON Lines"
echo "spark test: ok"
