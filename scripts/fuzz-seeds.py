#!/usr/bin/env python3
"""Seed corpora and the log dictionary for scripts/fuzz.sh, from Samples/, the test corpora,
the conformance data and Pipelines/. Usage: fuzz-seeds.py SCRATCH (writes SCRATCH/seeds/)."""
import hashlib
import os
import re
import struct
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = ["Samples", "Tests/FaultlineTests/Corpus", "Tests/FaultlineTests/Conformance"]
# PacketFuzzer's link types, in its order: the seed's first byte is the index.
LINK_TYPES = [0, 1, 12, 14, 101, 105, 108, 113, 127, 192, 228, 229, 239, 258, 276, 147]
# PipelineFuzzer's files, in its order.
PIPELINE_FILES = ["default.yaml", "go-docker.yaml", "jvm-service.yaml", "npm-ci.yaml", "causes.yaml",
                  "rules/ci.yaml", "rules/dns.yaml", "rules/docker.yaml", "rules/go.yaml", "rules/jvm.yaml",
                  "rules/npm.yaml", "rules/tests.yaml"]


def files():
    for source in SOURCES:
        for folder, _, names in os.walk(os.path.join(ROOT, source)):
            for name in sorted(names):
                yield os.path.join(folder, name)


def write(folder, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as out:
        out.write(data)


def tail(data, limit):
    """The last `limit` bytes, from a line start: failures are at a log's end."""
    if len(data) <= limit:
        return data
    cut = data[-limit:]
    return cut[cut.find(b"\n") + 1:]


def frames(data):
    """(link type, [frame]) of a classic pcap or a pcapng file, as far as it reads."""
    out = []
    if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        link = struct.unpack(e + "I", data[20:24])[0] & 0xFFFF
        at = 24
        while at + 16 <= len(data):
            caplen = struct.unpack(e + "I", data[at + 8:at + 12])[0]
            out.append(data[at + 16:at + 16 + caplen])
            at += 16 + caplen
        return link, out
    if data[:4] == b"\x0a\x0d\x0d\x0a" and len(data) >= 12:
        e = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        link, at = 1, 0
        while at + 12 <= len(data):
            kind, length = struct.unpack(e + "II", data[at:at + 8])
            if length < 12:
                break
            if kind == 1:
                link = struct.unpack(e + "H", data[at + 8:at + 10])[0]
            elif kind == 6:
                caplen = struct.unpack(e + "I", data[at + 20:at + 24])[0]
                out.append(data[at + 28:at + 28 + caplen])
            at += length
        return link, out
    return None, []


def dns_payload(link, frame):
    """The UDP payload to or from a DNS port, for Ethernet, raw IP and Linux cooked frames."""
    offset = {1: 14, 101: 0, 12: 0, 14: 0, 228: 0, 229: 0, 113: 16, 276: 20, 0: 4, 108: 4}.get(link)
    if offset is None or len(frame) <= offset:
        return None
    if link == 1:
        ethertype = frame[12:14]
        while ethertype == b"\x81\x00" and len(frame) > offset + 4:
            ethertype, offset = frame[offset + 2:offset + 4], offset + 4
    packet = frame[offset:]
    if packet[:1] and packet[0] >> 4 == 4:
        ihl = (packet[0] & 15) * 4
        if len(packet) < ihl + 8 or packet[9] != 17:
            return None
        udp = packet[ihl:]
    elif packet[:1] and packet[0] >> 4 == 6:
        if len(packet) < 48 or packet[6] != 17:
            return None
        udp = packet[40:]
    else:
        return None
    ports = struct.unpack(">HH", udp[:4])
    if not {53, 5353, 5355} & set(ports):
        return None
    return udp[8:]


def dictionary():
    """Every literal the rule packs match (anchors, `all`, `none`) and the decoders' structural markers."""
    words = set()
    for folder, _, names in os.walk(os.path.join(ROOT, "Pipelines", "rules")):
        for name in names:
            with open(os.path.join(folder, name)) as handle:
                pack = yaml.safe_load(handle) or {}
            for signature in pack.get("signatures") or []:
                for key in ("all", "none"):
                    words.update(signature.get(key) or [])
                if signature.get("anchor"):
                    words.add(signature["anchor"])
    for source in ("Sources/FaultlineDecode/BuildLog/BuildLogDecoder.swift",
                   "Sources/FaultlineDecode/BuildLog/TestOutputTracker.swift"):
        with open(os.path.join(ROOT, source), encoding="utf-8") as handle:
            text = handle.read()
        for block in re.findall(r"anchors\s*=\s*\[(.*?)\n\s*\]", text, re.S):
            words.update(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    words.update(["Full thread dump ", "\n", "#9 2.009 ", "##[error]", "Step 1/3 : RUN ", "npm ERR! code "])
    lines = []
    for word in sorted(w for w in words if w):
        escaped = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else
                          "".join("\\x%02X" % b for b in c.encode()) for c in word)
        lines.append('"%s"' % escaped)
    return "\n".join(lines) + "\n"


def main():
    seeds = os.path.join(sys.argv[1], "seeds")
    counts = {}

    def add(target, data):
        write(os.path.join(seeds, target), data)
        counts[target] = counts.get(target, 0) + 1

    dns_messages = set()
    for path in files():
        with open(path, "rb") as handle:
            data = handle.read()
        head = data[:65536]
        if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d", b"\x0a\x0d\x0d\x0a"):
            add("pcap", head)
            link, found = frames(data)
            if link in LINK_TYPES and found:
                packed = bytes([LINK_TYPES.index(link)])
                for frame in found[:64]:
                    if len(packed) + len(frame) > 16000:
                        break
                    packed += struct.pack(">H", len(frame)) + frame
                add("packet", packed)
            for frame in found:
                payload = dns_payload(link, frame)
                if payload and len(dns_messages) < 600:
                    dns_messages.add(payload)
        elif b"Full thread dump" in head or b'"threadDump"' in head or b"1TISIGINFO" in head or "/dumps/" in path \
                or "/jstack/" in path:
            add("dump", head)
        elif path.endswith((".log", ".txt")) and b"\0" not in data[:4096]:
            add("log", tail(data, 65536))
    for message in dns_messages:
        add("dns", message)
    for index, name in enumerate(PIPELINE_FILES):
        with open(os.path.join(ROOT, "Pipelines", name), "rb") as handle:
            add("pipeline", bytes([index]) + handle.read())
    with open(os.path.join(seeds, "log.dict"), "w") as out:
        out.write(dictionary())
    print("seeds:", ", ".join("%s %d" % item for item in sorted(counts.items())))


if __name__ == "__main__":
    main()
