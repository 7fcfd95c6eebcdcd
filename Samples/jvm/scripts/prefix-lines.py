#!/usr/bin/env python3
"""Copy standard input to a file line by line as it arrives, each line prefixed
the way a container runtime (containerd/CRI-O) writes a container's log:
`<RFC 3339 UTC time with nanoseconds> stdout F <line>`.

  java … | prefix-lines.py service.log
"""
import sys
import time


def stamp():
    ns = time.time_ns()
    secs, frac = divmod(ns, 1_000_000_000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
    fraction = f"{frac:09d}".rstrip("0")  # RFC3339Nano drops trailing zeros
    return text + ("." + fraction if fraction else "") + "Z"


with open(sys.argv[1], "w", buffering=1) as out:
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        out.write(f"{stamp()} stdout F {line}\n")
