#!/usr/bin/env bash
# The web workspace under load (issue 13), on loopback, against a large index (the 1.5M-document
# index that benches/search.sh builds; keep its folder and pass it here):
#   1. in-process capacity: query_latency's mean time per query (top 10 with snippets) over the
#      57 queries of benches/queries.txt, with the facet counts /api/search computes
#      (`--facets`: the same work as the endpoint) and without; capacity = cores / mean; and
#      the throughput of as many threads as cores searching at once (`--facets` prints it);
#   2. `nhip serve --index INDEX` under wrk: 64 connections, one wrk thread, 60 s, the same 57
#      queries in turn through /api/search (hits, snippets, total and facets): requests/s,
#      p50/p99, errors, and the server's peak resident memory;
#   3. the search page: HTML + CSS + script bytes, and time to first byte over the 57 queries.
# Needs wrk (Debian: apt-get install wrk). Usage: bash benches/serve.sh INDEX_DIR [SECONDS]
# (PROFILE=debug measures the dev build instead, for a quick look at the same-run ratio).
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX=${1:?usage: bash benches/serve.sh INDEX_DIR [SECONDS]}
SECONDS_UNDER_LOAD=${2:-60}
PORT=18731
PROFILE=${PROFILE:-release}
if [ "$PROFILE" = release ]; then
  cargo build -q --release -p nhip
  cargo build -q --release -p nhip-index --example query_latency
else
  cargo build -q -p nhip
  cargo build -q -p nhip-index --example query_latency
fi
BIN=target/$PROFILE
CORES=$(nproc)

echo "== in-process: query_latency, without and with facets"
$BIN/examples/query_latency "$INDEX" benches/queries.txt | tee /tmp/nhip-serve-inproc.txt
$BIN/examples/query_latency "$INDEX" benches/queries.txt --facets | tee /tmp/nhip-serve-inproc-facets.txt
MEAN=$(sed -n 's/.*mean \([0-9.]*\) ms.*/\1/p' /tmp/nhip-serve-inproc.txt | head -1)
MEAN_FACETS=$(sed -n 's/.*mean \([0-9.]*\) ms.*/\1/p' /tmp/nhip-serve-inproc-facets.txt | head -1)
python3 -c "print(f'in-process capacity: {$CORES} cores / {$MEAN} ms = {$CORES * 1000 / $MEAN:.0f} queries/s; with facets (the work of /api/search): {$CORES} / {$MEAN_FACETS} ms = {$CORES * 1000 / $MEAN_FACETS:.0f} queries/s')"

echo "== nhip serve under wrk: 64 connections, ${SECONDS_UNDER_LOAD} s"
$BIN/nhip serve --index "$INDEX" --addr "127.0.0.1:$PORT" 2>/tmp/nhip-serve-bench.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  sleep 0.5
done
curl -s "http://127.0.0.1:$PORT/api/health"; echo
# Warm-up: every query once.
NHIP_QUERIES=benches/queries.txt wrk -t1 -c1 -d5s -s benches/serve_queries.lua "http://127.0.0.1:$PORT" >/dev/null
NHIP_QUERIES=benches/queries.txt wrk -t1 -c64 -d"${SECONDS_UNDER_LOAD}s" --timeout 10s --latency \
  -s benches/serve_queries.lua "http://127.0.0.1:$PORT" | tee /tmp/nhip-serve-wrk.txt
RPS=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' /tmp/nhip-serve-wrk.txt)
CONCURRENT=$(sed -n 's/^concurrent.* = \([0-9.]*\) queries\/s/\1/p' /tmp/nhip-serve-inproc-facets.txt)
python3 -c "print(f'server / in-process capacity: {$RPS * $MEAN_FACETS / ($CORES * 1000):.2f}x with facets (same work), {$RPS * $MEAN / ($CORES * 1000):.2f}x without; server / in-process threads searching at once: {$RPS / $CONCURRENT:.2f}x')"
grep -E "VmHWM|VmRSS" "/proc/$SERVER/status"

echo "== search page"
HTML=$(curl -s "http://127.0.0.1:$PORT/?q=tham+nhung" | wc -c)
CSS=$(curl -s "http://127.0.0.1:$PORT/assets/style.css" | wc -c)
JS=$(curl -s "http://127.0.0.1:$PORT/assets/app.js" | wc -c)
echo "search page 'tham nhung': HTML $HTML + CSS $CSS + JS $JS = $((HTML + CSS + JS)) bytes"
python3 - "$PORT" <<'PY'
import statistics, subprocess, sys, urllib.parse
port = sys.argv[1]
queries = [l.strip() for l in open("benches/queries.txt", encoding="utf-8") if l.strip() and not l.startswith("#")]
times, sizes = [], []
for _ in range(3):
    for q in queries:
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{time_starttransfer} %{size_download}",
                              f"http://127.0.0.1:{port}/?q={urllib.parse.quote(q)}"], capture_output=True, text=True).stdout.split()
        times.append(float(out[0]) * 1000)
        sizes.append(int(out[1]))
times.sort()
print(f"search page, {len(times)} loads (57 queries x 3, one at a time): first byte p50 {statistics.median(times):.1f} ms, "
      f"p90 {times[int(0.9 * len(times))]:.1f} ms; HTML {min(sizes)}-{max(sizes)} bytes")
PY
kill $SERVER
wait $SERVER 2>/dev/null || true
tail -1 /tmp/nhip-serve-bench.log
