#!/usr/bin/env python3
"""Write a case's expected.json after the run, locating the evidence line in
the real build.log (first line containing --contains, optionally after
skipping lines that do not also match --line-re) and checking that every
subject value is literally on that line.

  mkexpected.py --dir Samples/go/dns-nxdomain --cause dns_nxdomain \
      --contains "no such host" --subject host=proxy.golang.org \
      --subject-re 'nameserver=on (\\S+):' --wrapper bare --how "..."
"""
import argparse
import json
import os
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--verdict", default="failure")
    ap.add_argument("--cause", required=True)
    ap.add_argument("--contains", default=None)
    ap.add_argument("--subject", action="append", default=[], help="key=value, must be on the line")
    ap.add_argument("--subject-re", action="append", default=[], help="key=REGEX with one group, taken from the line")
    ap.add_argument("--context-subject", action="append", default=[],
                    help="key=value, on one of the 3 lines above the evidence line (a subject the tool split off)")
    ap.add_argument("--wrapper", required=True)
    ap.add_argument("--how", required=True)
    ap.add_argument("--log-only-cause", default=None,
                    help="the top cause the build log alone supports, when only the capture tells the real one")
    a = ap.parse_args()
    out = {"verdict": a.verdict, "cause": a.cause, "subjects": {}, "evidence": None,
           "wrapper": a.wrapper, "how": a.how}
    if a.contains:
        lines = open(os.path.join(a.dir, "build.log"), encoding="utf-8", errors="replace", newline="").read().split("\n")  # only \\n ends a line
        hit = next((i for i, l in enumerate(lines) if a.contains in l), None)
        if hit is None:
            sys.exit(f"mkexpected: {a.dir}: no line contains {a.contains!r}")
        line = lines[hit]
        for kv in a.subject:
            k, _, v = kv.partition("=")
            if v not in line:
                sys.exit(f"mkexpected: {a.dir}: subject {k}={v!r} not on line {hit+1}: {line!r}")
            out["subjects"][k] = v
        for kv in a.context_subject:
            k, _, v = kv.partition("=")
            if not any(v in l for l in lines[max(0, hit - 3):hit]):
                sys.exit(f"mkexpected: {a.dir}: subject {k}={v!r} not on the 3 lines above line {hit+1}")
            out["subjects"][k] = v
        for kv in a.subject_re:
            k, _, rx = kv.partition("=")
            m = re.search(rx, line)
            if not m:
                sys.exit(f"mkexpected: {a.dir}: subject {k} regex {rx!r} not matched on line {hit+1}: {line!r}")
            out["subjects"][k] = m.group(1)
        out["evidence"] = {"input": "build.log", "line": hit + 1, "contains": a.contains}
    if a.log_only_cause:
        out["log_only_cause"] = a.log_only_cause
        out["log_only_note"] = "the build log alone cannot tell this cause apart; the capture (dns.pcap) does"
    with open(os.path.join(a.dir, "expected.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"{a.dir}: {a.cause} line {out['evidence']['line'] if out['evidence'] else '-'}")


if __name__ == "__main__":
    main()
