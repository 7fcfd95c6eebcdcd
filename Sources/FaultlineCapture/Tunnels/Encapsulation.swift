/// The tunnels DNS is found inside: IP in IP (4in4, 6in4, 4in6, 6in6), GRE
/// (plain, PPTP's enhanced GRE, transparent Ethernet bridging, ERSPAN types
/// I–III), VXLAN, Geneve and Teredo. Each parser reads only its own header
/// and says where the inner packet or frame starts; `PacketDecoder` decodes
/// what is inside as it decodes a frame.
enum Encapsulation {
    /// What a tunnel carries, from an offset in its payload.
    enum Inner {
        case ethernet(offset: Int)
        case ipv4(offset: Int)
        case ipv6(offset: Int)
        case skipped(SkippedFrame)
        case truncated
    }

    /// UDP ports whose payload is a tunnel (when neither end is a DNS port).
    @inline(__always)
    static func isTunnelPort(_ port: UInt16) -> Bool { port == 4789 || port == 8472 || port == 6081 || port == 3544 }

    /// The inner packet of a tunnel on UDP `port` (a destination or source port that `isTunnelPort`).
    static func udp(_ payload: UnsafeRawBufferPointer, port: UInt16) -> Inner {
        switch port {
        case 4789, 8472:
            // VXLAN: flags (I = 0x08), reserved, VNI, reserved; then an Ethernet frame.
            guard payload.count >= 8 else { return .truncated }
            guard payload[0] & 0x08 != 0 else { return .skipped(.tunnelVariant("VXLAN_without_VNI_flag")) }
            return .ethernet(offset: 8)
        case 6081:
            // Geneve: version and option length (in 4-byte words), flags, protocol, VNI.
            guard payload.count >= 8 else { return .truncated }
            guard payload[0] >> 6 == 0 else { return .skipped(.tunnelVariant("Geneve_version_\(payload[0] >> 6)")) }
            let offset = 8 + Int(payload[0] & 0x3F) * 4
            return inner(protocol: payload.u16(2), offset: offset, payload)
        default:
            return teredo(payload)
        }
    }

    /// Teredo (UDP 3544): an IPv6 packet, after an optional authentication or origin indication.
    private static func teredo(_ payload: UnsafeRawBufferPointer) -> Inner {
        var offset = 0
        for _ in 0..<2 {
            guard offset + 2 <= payload.count else { return .truncated }
            if payload[offset] >> 4 == 6 { return .ipv6(offset: offset) }
            switch payload.u16(offset) {
            case 0x0001:
                guard offset + 4 <= payload.count else { return .truncated }
                offset += 4 + Int(payload[offset + 2]) + Int(payload[offset + 3]) + 9
            case 0x0000:
                offset += 8
            default:
                return .skipped(.tunnelVariant("Teredo_non_IPv6_payload"))
            }
        }
        guard offset < payload.count else { return .truncated }
        return payload[offset] >> 4 == 6 ? .ipv6(offset: offset) : .skipped(.tunnelVariant("Teredo_non_IPv6_payload"))
    }

    /// GRE (IP protocol 47), versions 0 and 1 (PPTP).
    static func gre(_ payload: UnsafeRawBufferPointer) -> Inner {
        guard payload.count >= 4 else { return .truncated }
        let flags = payload.u16(0)
        let version = flags & 0x7
        let protocolType = payload.u16(2)
        var offset = 4
        guard flags & 0x4000 == 0 else { return .skipped(.tunnelVariant("GRE_with_source_routing")) }
        switch version {
        case 0:
            if flags & 0x8000 != 0 { offset += 4 }
            if flags & 0x2000 != 0 { offset += 4 }
            if flags & 0x1000 != 0 { offset += 4 }
        case 1:
            // PPTP's enhanced GRE: key (payload length, call id) always, sequence and
            // acknowledgement numbers when flagged; then a PPP frame.
            offset += 4
            if flags & 0x1000 != 0 { offset += 4 }
            if flags & 0x0080 != 0 { offset += 4 }
            guard protocolType == 0x880B else { return .skipped(.greProtocol(protocolType)) }
            return ppp(payload, offset: offset)
        default:
            return .skipped(.tunnelVariant("GRE_version_\(version)"))
        }
        guard offset <= payload.count else { return .truncated }
        switch protocolType {
        case 0x88BE:
            // ERSPAN type II has an 8-byte header and a GRE sequence number; type I has neither.
            return flags & 0x1000 != 0 ? .ethernet(offset: offset + 8) : .ethernet(offset: offset)
        case 0x22EB:
            // ERSPAN type III: a 12-byte header, 8 more with the platform sub-header (O bit);
            // frame type 0 is Ethernet.
            guard offset + 12 <= payload.count else { return .truncated }
            let word = payload.u16(offset + 10)
            let frameType = (word >> 10) & 0x1F
            guard frameType == 0 else { return .skipped(.tunnelVariant("ERSPAN_III_frame_type_\(frameType)")) }
            return .ethernet(offset: offset + 12 + (word & 1 != 0 ? 8 : 0))
        case 0x880B:
            return ppp(payload, offset: offset)
        default:
            return inner(protocol: protocolType, offset: offset, payload)
        }
    }

    /// An inner packet named by an EtherType (GRE, Geneve).
    private static func inner(protocol type: UInt16, offset: Int, _ payload: UnsafeRawBufferPointer) -> Inner {
        guard offset <= payload.count else { return .truncated }
        switch type {
        case 0x0800: return .ipv4(offset: offset)
        case 0x86DD: return .ipv6(offset: offset)
        case 0x6558: return .ethernet(offset: offset)
        default: return .skipped(.greProtocol(type))
        }
    }

    /// A PPP frame: optional address and control bytes, a one- or two-byte protocol.
    private static func ppp(_ payload: UnsafeRawBufferPointer, offset start: Int) -> Inner {
        var offset = start
        guard offset + 2 <= payload.count else { return .truncated }
        if payload[offset] == 0xFF, payload[offset + 1] == 0x03 { offset += 2 }
        guard offset + 1 <= payload.count else { return .truncated }
        let protocolNumber: UInt16
        if payload[offset] & 1 == 1 {
            protocolNumber = UInt16(payload[offset])
            offset += 1
        } else {
            guard offset + 2 <= payload.count else { return .truncated }
            protocolNumber = payload.u16(offset)
            offset += 2
        }
        switch protocolNumber {
        case 0x21: return .ipv4(offset: offset)
        case 0x57: return .ipv6(offset: offset)
        default: return .skipped(.ppp(protocolNumber))
        }
    }
}
