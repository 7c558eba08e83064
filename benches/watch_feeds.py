#!/usr/bin/env python3
"""`nhip watch` polling many feeds from a local server (127.0.0.1 only).

Serves FEEDS RSS feeds of ITEMS items each (with ETags and 304s), runs `nhip watch` on them,
and reports the first round (every item new: fetch, parse, index) and the second (nothing
new: each feed a 304): wall time, CPU time and peak memory of the watcher, and the responses
the server sent. Baseline in the same run: `nhip index` of the same feeds saved as files.

    python3 benches/watch_feeds.py --nhip target/release/nhip --feeds 200 --items 50
"""

import argparse
import http.server
import os
import subprocess
import tempfile
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def feed(n, items, base):
    out = [f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
           f"<title>Báo thử {n}</title><link>{base}/</link>"]
    for j in range(items):
        out.append(f"<item><title>Tin số {j} của báo {n}</title>"
                   f"<link>{base}/f{n}/{j}.html</link><guid>{base}/f{n}/{j}.html</guid>"
                   "<pubDate>Mon, 02 Mar 2026 08:00:00 +0700</pubDate><description>"
                   f"Mưa lớn kéo dài gây ngập nhiều tuyến đường, tin số {j} của báo {n}; "
                   "chính quyền địa phương đã huy động lực lượng hỗ trợ người dân di dời tài sản."
                   "</description></item>")
    out.append("</channel></rss>")
    return "".join(out).encode()


def cpu_and_peak(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    peak = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    return cpu, peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nhip", default="target/release/nhip")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    nhip = os.path.abspath(args.nhip)
    counts = {"200": 0, "304": 0}
    bodies = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = bodies.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            etag = f"\"{self.path}\""
            if self.headers.get("If-None-Match") == etag:
                counts["304"] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            counts["200"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for n in range(args.feeds):
        bodies[f"/f{n}.rss"] = feed(n, args.items, base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    total = args.feeds * args.items
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "topics.toml"), "w") as f:
            f.write("[[topic]]\nname = \"t\"\nquery = '\"lũ lụt\"'\n")
        with open(os.path.join(root, "pipeline.toml"), "w") as f:
            f.write("[index]\npath = \"index\"\n[trends]\ntopics = \"topics.toml\"\n"
                    "[output]\ndir = \"out\"\n[watch]\nhost_gap_seconds = 0\nbatch_docs = 2000\n")
            for n in range(args.feeds):
                f.write(f"[[feed]]\nurl = \"{base}/f{n}.rss\"\nevery = \"90s\"\n")
        log_path = os.path.join(root, "watch.log")
        started = time.time()
        proc = subprocess.Popen([nhip, "watch", "pipeline.toml"], cwd=root,
                                stdout=subprocess.DEVNULL, stderr=open(log_path, "w"))

        def wait_for(check, limit):
            while not check():
                if time.time() - started > limit:
                    proc.kill()
                    raise SystemExit("timed out")
                time.sleep(0.05)

        def log():
            with open(log_path) as f:
                return f.read()

        wait_for(lambda: f"in_index={total} " in log(), 600)
        first = time.time() - started
        cpu1, peak1 = cpu_and_peak(proc.pid)
        sent1 = dict(counts)
        second_start = time.time()
        wait_for(lambda: log().count("poll: not modified") >= args.feeds, 900)
        second = time.time() - second_start
        cpu2, peak2 = cpu_and_peak(proc.pid)
        proc.kill()
        proc.wait()
        print(f"first poll, {args.feeds} feeds × {args.items} items → {total} documents indexed: "
              f"{first:.1f} s wall, {cpu1:.1f} s CPU, peak RSS {peak1 / 2**20:.0f} MiB, "
              f"responses 200: {sent1['200']}, 304: {sent1['304']}")
        import datetime
        stamps = [datetime.datetime.fromisoformat(line.split()[0].replace("Z", "+00:00")).timestamp()
                  for line in log().splitlines() if "poll: not modified" in line]
        spread = stamps[args.feeds - 1] - stamps[0]
        print(f"second poll, nothing new: {args.feeds} feeds in {spread:.2f} s (first to last 304; "
              f"the round came {second:.1f} s after the first, interval 90 s), {cpu2 - cpu1:.2f} s CPU, "
              f"responses 200: {counts['200'] - sent1['200']}, 304: {counts['304'] - sent1['304']}")
        # Baseline: the same feeds saved as files, indexed by hand.
        feeds_dir = os.path.join(root, "feeds")
        os.makedirs(feeds_dir)
        for n in range(args.feeds):
            with open(os.path.join(feeds_dir, f"f{n}.rss"), "wb") as f:
                f.write(bodies[f"/f{n}.rss"])
        t = time.time()
        subprocess.run([nhip, "index", "--index", os.path.join(root, "index2"), feeds_dir],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"baseline: nhip index of the same {args.feeds} feeds as files: {time.time() - t:.1f} s wall")
    server.shutdown()


if __name__ == "__main__":
    main()
