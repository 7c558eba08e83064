#!/usr/bin/env python3
"""Latency from a file landing in a `nhip watch` inbox to it being searchable.

Drops N reports one at a time into the inbox of a running `nhip watch` and times each from the
write to the log line of the commit that holds it (written once the index reader sees it).
Baseline in the same run: `nhip index` of one such file, the by-hand way, timed as a process.

    python3 benches/watch_latency.py --nhip target/release/nhip --files 200
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import tempfile
import time

COMMIT = re.compile(r"^(\S+)\s+INFO batch committed .*in_index=(\d+)")


def report(n):
    return (f"Tiêu đề: Báo cáo số {n}\nNgày: 2026-03-02\n\n"
            f"Tình hình địa phương trong tuần, báo cáo số {n} của cộng tác viên.\n")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_watch(nhip, root, files, settle, batch):
    os.makedirs(os.path.join(root, "inbox"))
    with open(os.path.join(root, "topics.toml"), "w") as f:
        f.write("[[topic]]\nname = \"t\"\nquery = '\"lũ lụt\"'\n")
    with open(os.path.join(root, "pipeline.toml"), "w") as f:
        f.write("[index]\npath = \"index\"\n[trends]\ntopics = \"topics.toml\"\n"
                "[output]\ndir = \"out\"\n[[inbox]]\npath = \"inbox\"\n"
                f"[watch]\nsettle_seconds = {settle}\nbatch_seconds = {batch}\n")
    log_path = os.path.join(root, "watch.log")
    log = open(log_path, "w")
    proc = subprocess.Popen([nhip, "watch", "pipeline.toml"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=log)
    latencies = []
    try:
        time.sleep(1.0)
        reader = open(log_path)
        for n in range(files):
            started = time.time()
            with open(os.path.join(root, "inbox", f"r{n}.txt"), "w") as f:
                f.write(report(n))
            done = None
            while done is None:
                line = reader.readline()
                if not line:
                    time.sleep(0.005)
                    if time.time() - started > 60:
                        raise SystemExit(f"file {n} not committed in 60 s")
                    continue
                m = COMMIT.match(line)
                if m and int(m.group(2)) >= n + 1:
                    stamp = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
                    done = stamp.timestamp()
            latencies.append(done - started)
    finally:
        proc.kill()
        proc.wait()
    return latencies


def run_baseline(nhip, root, files):
    os.makedirs(os.path.join(root, "in"))
    times = []
    for n in range(files):
        path = os.path.join(root, "in", f"r{n}.txt")
        with open(path, "w") as f:
            f.write(report(n))
        started = time.time()
        subprocess.run([nhip, "index", "--index", os.path.join(root, "index"), path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.time() - started)
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nhip", default="target/release/nhip")
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    nhip = os.path.abspath(args.nhip)
    rows = []
    for label, settle, batch in [("defaults (settle 1 s, batch 2 s)", 1, 2),
                                 ("settle 0.2 s, batch 0.1 s", 0.2, 0.1)]:
        with tempfile.TemporaryDirectory() as root:
            rows.append((f"nhip watch, {label}", run_watch(nhip, root, args.files, settle, batch)))
    with tempfile.TemporaryDirectory() as root:
        rows.append(("baseline: nhip index of the one file", run_baseline(nhip, root, min(args.files, 50))))
    for label, values in rows:
        print(f"{label}: n={len(values)} p50={pct(values, 50):.3f} s "
              f"p99={pct(values, 99):.3f} s mean={statistics.mean(values):.3f} s")


if __name__ == "__main__":
    main()
