#!/usr/bin/env bash
# Two `nhip` binaries taking turns serving the same index under wrk, so that a change to the
# server is judged within one session (this machine's speed drifts between sessions).
#
#   bash benches/serve_ab.sh BEFORE_NHIP AFTER_NHIP INDEX_DIR [SECONDS] [ROUNDS] [CONNECTIONS]
#
# Defaults: 20 s per turn, 2 rounds, 64 connections; each turn starts the server, warms it up
# for 3 s, then prints requests/s and p99 (and non-2xx or socket errors, when any) of
# benches/serve_queries.lua's 57 queries through /api/search.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:?usage: serve_ab.sh BEFORE_NHIP AFTER_NHIP INDEX_DIR [SECONDS] [ROUNDS] [CONNECTIONS]}
AFTER=${2:?after binary}
INDEX=${3:?index folder}
SECONDS_EACH=${4:-20}
ROUNDS=${5:-2}
CONNECTIONS=${6:-64}
PORT=18732
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true' EXIT
for round in $(seq 1 "$ROUNDS"); do
  for side in before after; do
    bin=$BEFORE
    [ "$side" = after ] && bin=$AFTER
    "$bin" serve --index "$INDEX" --addr "127.0.0.1:$PORT" 2>/dev/null &
    SERVER=$!
    for _ in $(seq 1 120); do
      curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break
      sleep 0.5
    done
    NHIP_QUERIES=benches/queries.txt wrk -t1 -c"$CONNECTIONS" -d3s \
      -s benches/serve_queries.lua "http://127.0.0.1:$PORT" >/dev/null
    result=$(NHIP_QUERIES=benches/queries.txt wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" \
      --timeout 10s --latency -s benches/serve_queries.lua "http://127.0.0.1:$PORT" \
      | grep -E "Requests/sec|^ +99%|Non-2xx|Socket errors" | tr -s ' ' | tr '\n' ' ')
    echo "round $round, $side, $CONNECTIONS connections, ${SECONDS_EACH} s: $result"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=
  done
done
