#!/usr/bin/env python3
"""Tiny authoritative UDP DNS responder for Faultline's sample generator.

Only ever bind it to addresses inside a network namespace you created.

Rules are "PATTERN=ACTION", tried in order; PATTERN is a name, "*.suffix"
(wildcard: any name ending in .suffix) or "*" (anything).  ACTIONS:
  a:IP            answer A with IP (AAAA gets NOERROR/no data)
  nxdomain        RCODE 3
  servfail        RCODE 2
  refused         RCODE 5
  drop            never answer
  delay:SECS:a:IP answer A with IP after SECS seconds (same for other actions)
Names matching no rule get NXDOMAIN.

  dnsserver.py --listen 10.99.0.53 --rule proxy.golang.org=a:10.99.0.1 --rule '*=nxdomain'
"""
import argparse
import socket
import struct
import sys
import threading
import time

RCODES = {"nxdomain": 3, "servfail": 2, "refused": 5}


def parse_question(msg):
    labels, i = [], 12
    while True:
        n = msg[i]
        if n == 0:
            i += 1
            break
        if n & 0xC0:
            raise ValueError("compressed question")
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    qtype, qclass = struct.unpack("!HH", msg[i:i + 4])
    return ".".join(labels).lower(), qtype, qclass, i + 4


def match(rules, name):
    for pat, action in rules:
        if pat == "*" or pat == name:
            return action
        if pat.startswith("*.") and name.endswith(pat[1:]):
            return action
    return "nxdomain"


def build_reply(msg, qend, action, qtype):
    qid, flags = struct.unpack("!HH", msg[:4])
    rd = flags & 0x0100
    rcode, answers = 0, []
    if action in RCODES:
        rcode = RCODES[action]
    elif action.startswith("a:"):
        if qtype in (1, 255):  # A or ANY
            ip = socket.inet_aton(action[2:])
            answers.append(struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + ip)
    # QR, AA, RD copied, RA
    rflags = 0x8000 | 0x0400 | rd | 0x0080 | rcode
    header = struct.pack("!HHHHHH", qid, rflags, 1, len(answers), 0, 0)
    return header + msg[12:qend] + b"".join(answers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--rule", action="append", default=[])
    ap.add_argument("--log", default=None)
    args = ap.parse_args()
    rules = []
    for r in args.rule:
        pat, _, action = r.partition("=")
        rules.append((pat.lower().rstrip("."), action))
    log = open(args.log, "a", buffering=1) if args.log else sys.stderr
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.listen, args.port))
    print(f"dnsserver listening on {args.listen}:{args.port} rules={rules}", file=log)

    def answer(data, peer, delay, action, qend, qtype):
        if delay:
            time.sleep(delay)
        sock.sendto(build_reply(data, qend, action, qtype), peer)

    while True:
        data, peer = sock.recvfrom(4096)
        try:
            name, qtype, _qclass, qend = parse_question(data)
        except Exception as e:  # malformed query: ignore
            print(f"bad query from {peer}: {e}", file=log)
            continue
        action = match(rules, name)
        delay = 0.0
        if action.startswith("delay:"):
            _, secs, action = action.split(":", 2)
            delay = float(secs)
        print(f"{time.time():.3f} {peer[0]}:{peer[1]} {name} type={qtype} -> {action}"
              f"{' after %.1fs' % delay if delay else ''}", file=log)
        if action == "drop":
            continue
        threading.Thread(target=answer, args=(data, peer, delay, action, qend, qtype),
                         daemon=True).start()


if __name__ == "__main__":
    main()
