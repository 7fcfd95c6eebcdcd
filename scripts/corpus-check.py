#!/usr/bin/env python3
"""Runs `faultline analyze --format json` on every log of a real-log corpus
(Tests/FaultlineTests/Corpus/<set>/cases.json) and prints, per log, the expected
and found verdict and cause, and whether the top evidence lies in the labelled
region. Usage: scripts/corpus-check.py [BINARY] [SET…]"""
import json, os, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build/debug/faultline")
sets = sys.argv[2:] or ["ci", "wild"]
for name in sets:
    folder = os.path.join(root, "Tests/FaultlineTests/Corpus", name)
    manifest = os.path.join(folder, "cases.json")
    if not os.path.exists(manifest):
        continue
    cases = json.load(open(manifest))
    right = verdicts = inregion = regions = 0
    for case in cases:
        path = os.path.join(folder, case["file"])
        out = subprocess.run([binary, "analyze", "--format", "json", "--quiet", path], capture_output=True, text=True)
        try:
            report = json.loads(out.stdout)
        except json.JSONDecodeError:
            print(f"CRASH {case['file']}: rc={out.returncode} {out.stderr[-200:]}")
            continue
        hyps = report["hypotheses"]
        top = hyps[0]["cause"] if hyps else "none"
        ok_cause = top == case["cause"] or top in case.get("also_acceptable", [])
        ok_verdict = report["verdict"] == case["verdict"]
        right += ok_cause and ok_verdict
        verdicts += ok_verdict
        mark = ""
        region = case.get("region")
        if region and hyps:
            regions += 1
            lines = [e.get("line") for e in hyps[0]["evidence"] if e.get("line")]
            first = lines[0] if lines else None
            hit = first is not None and region["first"] <= first <= region["last"]
            inregion += hit
            mark = f"ev@{first} {'in' if hit else 'OUT'} [{region['first']}-{region['last']}]"
        flag = "ok  " if ok_cause and ok_verdict else "MISS"
        print(f"{flag} {case['file'][:60]:60} want {case['verdict']}/{case['cause']:22} got {report['verdict']}/{top:22} {mark}")
    n = len(cases)
    print(f"== {name}: {n} logs, cause+verdict right {right}/{n} ({right/max(n,1):.0%}), verdict right {verdicts}/{n}, top evidence in region {inregion}/{regions}")
