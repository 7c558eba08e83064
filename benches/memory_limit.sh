#!/usr/bin/env bash
# Runs a command inside a memory cgroup with a hard limit, so that "needs at most LIMIT" is
# tested rather than inferred: the kernel reclaims page cache and mapped index files at the
# limit and kills the process if what it cannot reclaim (its heap) exceeds it.
# Needs root and a writable cgroup memory controller (v1 or v2). Exit status: the command's
# (137 when it was killed for memory), or 2 when no cgroup could be made.
# Usage: bash benches/memory_limit.sh LIMIT_BYTES COMMAND [ARGS...]
set -euo pipefail
LIMIT=$1
shift
NAME="nhip-bench-$$"
if [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
  # A child gets memory.max only when the parent hands the memory controller down.
  grep -qw memory /sys/fs/cgroup/cgroup.subtree_control || echo +memory 2>/dev/null > /sys/fs/cgroup/cgroup.subtree_control || true
  CG=/sys/fs/cgroup/$NAME
  mkdir "$CG"
  if [ ! -f "$CG/memory.max" ]; then
    rmdir "$CG"
    echo "memory_limit.sh: the memory controller is not available to child cgroups here" >&2
    exit 2
  fi
  echo "$LIMIT" > "$CG/memory.max"
  echo 0 > "$CG/memory.swap.max" 2>/dev/null || true
elif [ -d /sys/fs/cgroup/memory ] && mkdir "/sys/fs/cgroup/memory/$NAME" 2>/dev/null; then
  CG=/sys/fs/cgroup/memory/$NAME
  echo "$LIMIT" > "$CG/memory.limit_in_bytes"
else
  echo "memory_limit.sh: cannot create a memory cgroup here (needs root and cgroup write access)" >&2
  exit 2
fi
status=0
sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$CG" "$@" || status=$?
rmdir "$CG" 2>/dev/null || true
exit $status
