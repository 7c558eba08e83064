"""Builds the ~1.5M-document query-latency corpus: the 84k full-text VNTC articles plus the 153k
dated headlines replicated 9 times. Each copy gets its own id and a copy marker in the title, so
that de-duplication keeps it (it is a different document to nhip, as a re-published item would
be). Usage: python3 benches/replicate.py VNTC.jsonl HEADLINES.jsonl COPIES > OUT.jsonl"""
import json
import sys

vntc, headlines, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = sys.stdout
with open(vntc, encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        out.write(json.dumps({"id": d["id"], "title": d.get("title"), "body": d.get("body"),
                              "source": d.get("source") or "VNTC"}, ensure_ascii=False) + "\n")
for copy in range(copies):
    with open(headlines, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            title = d.get("title") or ""
            if copy:
                title = f"{title} (bản {copy})"
            out.write(json.dumps({"id": f"{d['id']}-{copy}", "title": title, "body": d.get("body"),
                                  "published_at": d.get("published_at"), "source": d.get("source"),
                                  "url": None}, ensure_ascii=False) + "\n")
