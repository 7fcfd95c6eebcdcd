/// Takes frames apart down to DNS: link layer, IPv4/IPv6 (with fragment
/// reassembly and extension headers), tunnels (`Encapsulation`: IP in IP,
/// GRE and ERSPAN, VXLAN, Geneve, Teredo), UDP on 53/5353/5355, DNS over TCP
/// on 53, and ICMP unreachables quoting DNS packets. Bad checksums are noted
/// and the packet is still decoded; cut or malformed packets are noted with
/// their frame and skipped; frames not read (not IP, a link type or tunnel
/// variant not decoded) are counted by what they are (`SkippedFrame`).
struct PacketDecoder {
    var weirds = WeirdLog()
    var fragments = FragmentReassembler()
    var tcp = TCPStreamReassembler()
    /// Drop packets whose IP, UDP or TCP checksum is wrong (Zeek without `-C`) instead of decoding them.
    var dropBadChecksums = false
    /// Frames whose payload the snaplen cut.
    private(set) var snaplenCut = 0
    private var sinceExpiry = 0
    /// Tunnels entered for the packet being decoded (a tunnel in a tunnel in …).
    private var tunnelDepth = 0
    static let maxTunnelDepth = 4

    typealias DNSSink = (DNSPayload) -> Void
    typealias ICMPSink = (ICMPUnreachable) -> Void

    @inline(__always)
    static func isDNSPort(_ port: UInt16) -> Bool { port == 53 || port == 5353 || port == 5355 }

    /// Decodes one frame; nil at the end of the capture, to deliver what TCP streams still hold past a gap.
    mutating func decode(_ packet: CapturedPacket?, linkType: LinkType, dns: DNSSink, icmp: ICMPSink) {
        guard let packet else {
            return tcp.finish(weirds: &weirds) { key, frame, time, message in
                dns(DNSPayload(frame: frame, time: time, source: key.source, destination: key.destination, transport: .tcp, bytes: message))
            }
        }
        let bytes = packet.bytes
        sinceExpiry += 1
        if sinceExpiry >= 4096 {
            sinceExpiry = 0
            fragments.expire(before: packet.time, weirds: &weirds)
            tcp.expire(before: packet.time)
        }
        switch LinkLayerDecoder.network(bytes, linkType: linkType) {
        case .ipv4(let offset):
            ipv4(bytes, at: offset, packet: packet, dns: dns, icmp: icmp)
        case .ipv6(let offset):
            ipv6(bytes, at: offset, packet: packet, dns: dns, icmp: icmp)
        case .truncated:
            weirds.note("truncated_link_header", frame: packet.number)
        case .skipped(let what):
            skipped(what, packet)
        }
    }

    private mutating func skipped(_ what: SkippedFrame, _ packet: CapturedPacket) {
        weirds.note(what.weirdName, frame: packet.number, detail: what.detail, severity: .info)
    }

    /// The packet or frame inside a tunnel, decoded as a frame's would be.
    private mutating func tunneled(_ inner: Encapsulation.Inner, _ payload: UnsafeRawBufferPointer, packet: CapturedPacket,
                                   dns: DNSSink, icmp: ICMPSink) {
        guard tunnelDepth < Self.maxTunnelDepth else { return skipped(.nesting, packet) }
        tunnelDepth += 1
        defer { tunnelDepth -= 1 }
        switch inner {
        case .ipv4(let offset): ipv4(payload, at: offset, packet: packet, dns: dns, icmp: icmp)
        case .ipv6(let offset): ipv6(payload, at: offset, packet: packet, dns: dns, icmp: icmp)
        case .ethernet(let offset):
            let frame = payload.slice(offset, payload.count)
            guard offset <= payload.count, frame.count >= 14 else { return cut(packet, "truncated_tunnel") }
            switch LinkLayerDecoder.etherType(frame.u16(12), offset: 14, frame) {
            case .ipv4(let at): ipv4(frame, at: at, packet: packet, dns: dns, icmp: icmp)
            case .ipv6(let at): ipv6(frame, at: at, packet: packet, dns: dns, icmp: icmp)
            case .skipped(let what): skipped(what, packet)
            case .truncated: cut(packet, "truncated_tunnel")
            }
        case .skipped(let what): skipped(what, packet)
        case .truncated: cut(packet, "truncated_tunnel")
        }
    }

    private mutating func cut(_ packet: CapturedPacket, _ what: String) {
        if packet.originalLength > packet.bytes.count { snaplenCut += 1 }
        weirds.note(packet.originalLength > packet.bytes.count ? "packet_cut_by_snaplen" : what, frame: packet.number)
    }

    private mutating func ipv4(_ bytes: UnsafeRawBufferPointer, at offset: Int, packet: CapturedPacket, dns: DNSSink, icmp: ICMPSink) {
        // Offsets within a frame and 16-bit header fields: unchecked arithmetic.
        guard offset &+ 20 <= bytes.count else { return cut(packet, "truncated_IP") }
        let vihl = bytes[offset]
        let headerLength = Int(vihl & 0xF) &* 4
        guard vihl >> 4 == 4, headerLength >= 20 else { return weirds.note("bad_IP_header", frame: packet.number) }
        guard offset &+ headerLength <= bytes.count else { return cut(packet, "truncated_IP") }
        let total = Int(bytes.u16(offset &+ 2))
        guard total >= headerLength else { return weirds.note("bad_IP_length", frame: packet.number) }
        var end = offset &+ total
        var complete = true
        if end > bytes.count {
            end = bytes.count
            complete = false
        }
        let proto = bytes[offset &+ 9]
        let fragment = bytes.u16(offset &+ 6)
        let more = fragment & 0x2000 != 0
        let fragmentOffset = Int(fragment & 0x1FFF) &* 8
        // Only DNS-bearing protocols are worth more work.
        guard proto == 17 || proto == 6 || proto == 1 || proto == 4 || proto == 41 || proto == 47 else { return }
        let headerSum = headerLength == 20 ? InternetChecksum.ipv4Header(bytes, at: offset)
            : InternetChecksum.add(bytes, from: offset, to: offset + headerLength, to: 0)
        if !InternetChecksum.isValid(headerSum) {
            weirds.note("bad_IP_checksum", frame: packet.number, severity: .info)
            if dropBadChecksums { return }
        }
        let source = IPAddress(ipv4: bytes.u32(offset &+ 12))
        let destination = IPAddress(ipv4: bytes.u32(offset &+ 16))
        if more || fragmentOffset > 0 {
            guard complete else { return cut(packet, "truncated_IP") }
            let key = FragmentReassembler.Key(source: source, destination: destination, identification: UInt32(bytes.u16(offset + 4)), proto: proto)
            guard let whole = fragments.add(key, offset: fragmentOffset, more: more, payload: bytes.slice(offset + headerLength, end),
                                            proto: proto, frame: packet.number, time: packet.time, weirds: &weirds) else { return }
            whole.bytes.withUnsafeBytes { payload in
                transport(whole.proto, payload, source: source, destination: destination, v6: false, complete: true, packet: packet, dns: dns, icmp: icmp)
            }
            return
        }
        if !complete { cut(packet, "truncated_IP") }
        transport(proto, bytes.slice(offset &+ headerLength, end), source: source, destination: destination, v6: false,
                  complete: complete, packet: packet, dns: dns, icmp: icmp)
    }

    private mutating func ipv6(_ bytes: UnsafeRawBufferPointer, at offset: Int, packet: CapturedPacket, dns: DNSSink, icmp: ICMPSink) {
        guard offset + 40 <= bytes.count else { return cut(packet, "truncated_IP") }
        guard bytes[offset] >> 4 == 6 else { return weirds.note("bad_IP_header", frame: packet.number) }
        var end = offset + 40 + Int(bytes.u16(offset + 4))
        var complete = true
        if end > bytes.count {
            end = bytes.count
            complete = false
        }
        var next = bytes[offset + 6]
        let source = IPAddress.read(bytes, at: offset + 8, v6: true)
        let destination = IPAddress.read(bytes, at: offset + 24, v6: true)
        var cursor = offset + 40
        for _ in 0..<8 {
            switch next {
            case 0, 43, 60:
                guard cursor + 2 <= end else { return cut(packet, "truncated_IP") }
                next = bytes[cursor]
                cursor += (Int(bytes[cursor + 1]) + 1) * 8
            case 51:
                guard cursor + 2 <= end else { return cut(packet, "truncated_IP") }
                next = bytes[cursor]
                cursor += (Int(bytes[cursor + 1]) + 2) * 4
            case 44:
                guard cursor + 8 <= end, complete else { return cut(packet, "truncated_IP") }
                let inner = bytes[cursor]
                let field = bytes.u16(cursor + 2)
                let key = FragmentReassembler.Key(source: source, destination: destination, identification: bytes.u32(cursor + 4), proto: 0)
                let fragmentOffset = Int(field & 0xFFF8)
                guard let whole = fragments.add(key, offset: fragmentOffset, more: field & 1 != 0, payload: bytes.slice(cursor + 8, end),
                                                proto: fragmentOffset == 0 ? inner : nil, frame: packet.number, time: packet.time,
                                                weirds: &weirds) else { return }
                whole.bytes.withUnsafeBytes { payload in
                    transport(whole.proto, payload, source: source, destination: destination, v6: true, complete: true, packet: packet, dns: dns, icmp: icmp)
                }
                return
            default:
                guard cursor <= end else { return cut(packet, "truncated_IP") }
                if !complete { cut(packet, "truncated_IP") }
                transport(next, bytes.slice(cursor, end), source: source, destination: destination, v6: true, complete: complete,
                          packet: packet, dns: dns, icmp: icmp)
                return
            }
        }
    }

    private mutating func transport(_ proto: UInt8, _ segment: UnsafeRawBufferPointer, source: IPAddress, destination: IPAddress,
                                    v6: Bool, complete: Bool, packet: CapturedPacket, dns: DNSSink, icmp: ICMPSink) {
        switch proto {
        case 17:
            guard segment.count >= 8 else { return cut(packet, "truncated_UDP") }
            let sourcePort = segment.u16(0)
            let destinationPort = segment.u16(2)
            guard Self.isDNSPort(sourcePort) || Self.isDNSPort(destinationPort) else {
                let port = Encapsulation.isTunnelPort(destinationPort) ? destinationPort
                    : Encapsulation.isTunnelPort(sourcePort) ? sourcePort : 0
                guard port != 0 else { return }
                let datagram = segment.slice(8, min(segment.count, max(8, Int(segment.u16(4)))))
                return tunneled(Encapsulation.udp(datagram, port: port), datagram, packet: packet, dns: dns, icmp: icmp)
            }
            let length = Int(segment.u16(4))
            guard length >= 8 else { return weirds.note("bad_UDP_length", frame: packet.number) }
            var end = length
            if length > segment.count {
                if complete { weirds.note("UDP_datagram_length_mismatch", frame: packet.number) }
                end = segment.count
            } else if complete, segment.u16(6) != 0 {
                var sum = InternetChecksum.add(source, v6: v6, to: 0)
                sum = InternetChecksum.add(destination, v6: v6, to: sum)
                sum = InternetChecksum.add(protocol: 17, length: length, to: sum)
                sum = InternetChecksum.add(segment, from: 0, to: length, to: sum)
                if !InternetChecksum.isValid(sum) {
                    weirds.note("bad_UDP_checksum", frame: packet.number, severity: .info)
                    if dropBadChecksums { return }
                }
            }
            dns(DNSPayload(frame: packet.number, time: packet.time,
                           source: Endpoint(address: source, port: sourcePort),
                           destination: Endpoint(address: destination, port: destinationPort),
                           transport: .udp, bytes: segment.slice(8, end)))
        case 6:
            guard segment.count >= 20 else { return cut(packet, "truncated_TCP") }
            let sourcePort = segment.u16(0)
            let destinationPort = segment.u16(2)
            guard sourcePort == 53 || destinationPort == 53 else { return }
            let dataOffset = Int(segment[12] >> 4) * 4
            guard dataOffset >= 20, dataOffset <= segment.count else { return cut(packet, "truncated_TCP") }
            let flags = segment[13]
            if complete {
                var sum = InternetChecksum.add(source, v6: v6, to: 0)
                sum = InternetChecksum.add(destination, v6: v6, to: sum)
                sum = InternetChecksum.add(protocol: 6, length: segment.count, to: sum)
                sum = InternetChecksum.add(segment, from: 0, to: segment.count, to: sum)
                if !InternetChecksum.isValid(sum) {
                    weirds.note("bad_TCP_checksum", frame: packet.number, severity: .info)
                    if dropBadChecksums { return }
                }
            }
            let sourceEnd = Endpoint(address: source, port: sourcePort)
            let destinationEnd = Endpoint(address: destination, port: destinationPort)
            let time = packet.time
            let frame = packet.number
            tcp.segment(TCPStreamReassembler.Key(source: sourceEnd, destination: destinationEnd), sequence: segment.u32(4),
                        syn: flags & 0x02 != 0, fin: flags & 0x01 != 0, rst: flags & 0x04 != 0,
                        payload: segment.slice(dataOffset, segment.count), frame: frame, time: time, weirds: &weirds) { message in
                dns(DNSPayload(frame: frame, time: time, source: sourceEnd, destination: destinationEnd, transport: .tcp, bytes: message))
            }
        case 1:
            // ICMP destination unreachable (type 3) quoting an IPv4 packet.
            guard segment.count >= 8 + 20 + 8, segment[0] == 3 else { return }
            let quoted = segment.slice(8, segment.count)
            let headerLength = Int(quoted[0] & 0xF) * 4
            guard quoted[0] >> 4 == 4, headerLength >= 20, quoted.count >= headerLength + 8, quoted[9] == 17 else { return }
            let reason: String
            switch segment[1] {
            case 0: reason = "network unreachable"
            case 1: reason = "host unreachable"
            case 3: reason = "port unreachable"
            case 9, 10, 13: reason = "administratively prohibited"
            default: reason = "unreachable (code \(segment[1]))"
            }
            quotedUDP(quoted.slice(headerLength, quoted.count), source: IPAddress(ipv4: quoted.u32(12)),
                      destination: IPAddress(ipv4: quoted.u32(16)), reporter: source, reason: reason, packet: packet, icmp: icmp)
        case 4:
            tunneled(.ipv4(offset: 0), segment, packet: packet, dns: dns, icmp: icmp)
        case 41:
            tunneled(.ipv6(offset: 0), segment, packet: packet, dns: dns, icmp: icmp)
        case 47:
            tunneled(Encapsulation.gre(segment), segment, packet: packet, dns: dns, icmp: icmp)
        case 58:
            guard segment.count >= 8 + 40 + 8, segment[0] == 1 else { return }
            let quoted = segment.slice(8, segment.count)
            guard quoted[6] == 17 else { return }
            let reason: String
            switch segment[1] {
            case 0: reason = "no route"
            case 1: reason = "administratively prohibited"
            case 3: reason = "host unreachable"
            case 4: reason = "port unreachable"
            default: reason = "unreachable (code \(segment[1]))"
            }
            quotedUDP(quoted.slice(40, quoted.count), source: IPAddress.read(quoted, at: 8, v6: true),
                      destination: IPAddress.read(quoted, at: 24, v6: true), reporter: source, reason: reason, packet: packet, icmp: icmp)
        default:
            break
        }
    }

    private func quotedUDP(_ udp: UnsafeRawBufferPointer, source: IPAddress, destination: IPAddress, reporter: IPAddress,
                           reason: String, packet: CapturedPacket, icmp: ICMPSink) {
        guard udp.count >= 8 else { return }
        let sourcePort = udp.u16(0)
        let destinationPort = udp.u16(2)
        guard Self.isDNSPort(sourcePort) || Self.isDNSPort(destinationPort) else { return }
        let dnsBytes = udp.slice(8, udp.count)
        icmp(ICMPUnreachable(frame: packet.number, time: packet.time, reporter: reporter,
                             source: Endpoint(address: source, port: sourcePort),
                             destination: Endpoint(address: destination, port: destinationPort),
                             dnsID: dnsBytes.count >= 2 ? dnsBytes.u16(0) : nil,
                             quotedResponse: dnsBytes.count >= 3 ? dnsBytes[2] & 0x80 != 0 : nil, reason: reason))
    }
}
