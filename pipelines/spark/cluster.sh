# Sourced by test.sh and benches/spark.sh: a Spark standalone cluster on 127.0.0.1.
#   start_cluster WORKERS DIR   master + WORKERS workers of 1 core each; sets MASTER_URL
#   stop_cluster                stops what start_cluster started (call it from a trap)
# Needs SPARK_HOME (pyspark's folder) and PYSPARK_PYTHON.

CLUSTER_PIDS=()

free_port() {
  "$PYSPARK_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_cluster() {
  local workers=$1 dir=$2 port ui
  port="$(free_port)"; ui="$(free_port)"
  mkdir -p "$dir/logs"
  export SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$dir/logs" SPARK_WORKER_DIR="$dir/work"
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port "$ui" >"$dir/logs/master.log" 2>&1 &
  CLUSTER_PIDS+=($!)
  for n in $(seq 1 "$workers"); do
    "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores 1 --memory 2g --webui-port "$(free_port)" \
      --work-dir "$dir/work$n" "spark://127.0.0.1:$port" >"$dir/logs/worker$n.log" 2>&1 &
    CLUSTER_PIDS+=($!)
  done
  for _ in $(seq 1 120); do
    if curl -s "http://127.0.0.1:$ui/json/" | grep -q "\"aliveworkers\" *: *$workers"; then
      MASTER_URL="spark://127.0.0.1:$port"
      echo "cluster: master $MASTER_URL, $workers workers of 1 core"
      return 0
    fi
    sleep 1
  done
  echo "the cluster did not start:"; tail -5 "$dir"/logs/*.log
  return 1
}

stop_cluster() {
  local pid
  for pid in "${CLUSTER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${CLUSTER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  CLUSTER_PIDS=()
}
