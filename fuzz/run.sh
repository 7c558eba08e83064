#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20), one after the other, from the seeds
# (fuzz/seeds/TARGET, kept in the repository) plus what earlier runs found (fuzz/corpus/TARGET,
# not kept). Prints one line of figures per target; exit status 1 when a target found a crash
# (the input is in fuzz/artifacts/TARGET). Needs the nightly toolchain and cargo-fuzz.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-20}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi
failed=0
for target in "${TARGETS[@]}"; do
  features=()
  [ "$target" = topics ] && features=(--features topics)
  mkdir -p "corpus/$target"
  log="$(mktemp)"
  # -s none: no AddressSanitizer (nhip is safe Rust; this doubles the executions per second).
  cargo +nightly fuzz run -s none "${features[@]}" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=1024 -timeout=5 -print_final_stats=1 >"$log" 2>&1
  status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  units=$(ls "corpus/$target" | wc -l)
  echo "$target: exit $status, ${execs:-?} executions in ${SECONDS_EACH} s, corpus $units files"
  if [ $status -ne 0 ]; then
    failed=1
    grep -E 'ERROR|panicked|SUMMARY|Test unit written' "$log" | head -20
  fi
  rm -f "$log"
done
exit $failed
