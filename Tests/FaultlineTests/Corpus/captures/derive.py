#!/usr/bin/env python3
"""Re-encapsulates the real DNS frames of 05-gopacket-test_dns.pcap (Ethernet)
for the link types and tunnels no public capture with DNS was found for.
Run from this folder: python3 derive.py. Output is committed; see README.md."""
import struct

SOURCE = "05-gopacket-test_dns.pcap"


def read(path):
    data = open(path, "rb").read()
    assert struct.unpack("<I", data[:4])[0] == 0xA1B2C3D4
    offset, frames = 24, []
    while offset + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack("<IIII", data[offset:offset + 16])
        frames.append((sec, usec, data[offset + 16:offset + 16 + incl]))
        offset += 16 + incl
    return frames


def write(path, linktype, frames):
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for sec, usec, body in frames:
            out.write(struct.pack("<IIII", sec, usec, len(body), len(body)) + body)


def checksum(header):
    total = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(proto, payload, ident):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0,
                         bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


frames = read(SOURCE)
ETH = bytes.fromhex("020000000002" "020000000001")

# PPI (192): an 8-byte PPI header, no fields, around each Ethernet frame.
write("61-derived-ppi-dns.pcap", 192, [(s, u, struct.pack("<BBHI", 0, 0, 8, 1) + f) for s, u, f in frames])

# PPPoE session (0x8864): PPP protocol 0x0021 (IPv4) around each frame's IP packet.
pppoe = []
for s, u, f in frames:
    ip = f[14:]
    ppp = struct.pack("!H", 0x0021) + ip
    pppoe.append((s, u, ETH + b"\x88\x64" + struct.pack("!BBHH", 0x11, 0, 0x0001, len(ppp)) + ppp))
write("62-derived-pppoe-dns.pcap", 1, pppoe)

# ERSPAN type II: GRE with a sequence number, protocol 0x88BE, an 8-byte ERSPAN header, then the frame.
erspan = []
for n, (s, u, f) in enumerate(frames):
    gre = struct.pack("!HHI", 0x1000, 0x88BE, n) + struct.pack("!II", 0x10010064, 0) + f
    erspan.append((s, u, ETH + b"\x08\x00" + ipv4(47, gre, n + 1)))
write("63-derived-erspan2-dns.pcap", 1, erspan)

# Classic pcap seconds past 2^31 (2038 onwards): the same frames 2^31 s later.
write("64-derived-pcap-2038-dns.pcap", 1, [(s + (1 << 31), u, f) for s, u, f in frames])
