/// Finds the IP packet inside a link-layer frame: Ethernet (with any number of
/// 802.1Q/802.1ad tags, up to four, and PPPoE sessions), Linux cooked SLL and
/// SLL2, raw IP, the IPv4/IPv6 link types, BSD loopback (NULL, LOOP), NFLOG,
/// and the headers that wrap another link type (PPI, PKTAP, radiotap) around
/// 802.11 or Ethernet frames. What it cannot read is `skipped`, with the reason.
enum LinkLayerDecoder {
    /// The network layer a frame carries.
    enum Network {
        case ipv4(offset: Int)
        case ipv6(offset: Int)
        /// Not read: not IP (ARP, LLDP, …), encrypted, or a link type not decoded.
        case skipped(SkippedFrame)
        /// The link header itself is cut short.
        case truncated
    }

    /// Wrappers nested deeper than this (PPI around PKTAP around …) are not followed.
    static let maxNesting = 4

    @inline(__always)
    static func network(_ bytes: UnsafeRawBufferPointer, linkType: LinkType) -> Network {
        network(bytes, linkType: linkType, nesting: 0)
    }

    private static func network(_ bytes: UnsafeRawBufferPointer, linkType: LinkType, nesting: Int) -> Network {
        switch linkType {
        case .ethernet:
            guard bytes.count >= 14 else { return .truncated }
            return etherType(bytes.u16(12), offset: 14, bytes)
        case .linuxSLL:
            guard bytes.count >= 16 else { return .truncated }
            return etherType(bytes.u16(14), offset: 16, bytes)
        case .linuxSLL2:
            guard bytes.count >= 20 else { return .truncated }
            return etherType(bytes.u16(0), offset: 20, bytes)
        case .raw, .rawBSD, .rawOpenBSD:
            return ipVersion(bytes, offset: 0)
        case .ipv4: return .ipv4(offset: 0)
        case .ipv6: return .ipv6(offset: 0)
        case .null, .loop:
            guard bytes.count >= 4 else { return .truncated }
            // NULL stores the family in the capturing host's order: accept either.
            let big = bytes.u32(0)
            let family = linkType == .loop ? big : (big > 0xFFFF ? big.byteSwapped : big)
            switch family {
            case 2: return .ipv4(offset: 4)
            case 10, 24, 28, 30: return .ipv6(offset: 4)
            default: return .skipped(.addressFamily(family))
            }
        case .nflog:
            return nflog(bytes)
        case .ppi:
            // Version, flags, then the header length and the inner link type, little-endian.
            guard bytes.count >= 8 else { return .truncated }
            let length = Int(bytes.u16(2).byteSwapped)
            let inner = Int32(bitPattern: bytes.u32(4).byteSwapped)
            return wrapped(bytes, headerLength: length, inner: LinkType(rawValue: inner), nesting: nesting)
        case .pktap:
            // The header's own length and the inner link type, in the capturing host's order (little-endian).
            guard bytes.count >= 8 else { return .truncated }
            let length = Int(bytes.u32(0).byteSwapped)
            let inner = Int32(bitPattern: bytes.u32(4).byteSwapped)
            return wrapped(bytes, headerLength: length, inner: LinkType(rawValue: inner), nesting: nesting)
        case .radiotap:
            guard bytes.count >= 4 else { return .truncated }
            return wrapped(bytes, headerLength: Int(bytes.u16(2).byteSwapped), inner: .ieee80211, nesting: nesting)
        case .ieee80211:
            return ieee80211(bytes)
        default:
            return .skipped(.linkType(linkType))
        }
    }

    /// A frame of `inner` type behind a header of `headerLength` bytes, offsets shifted back to the whole frame.
    private static func wrapped(_ bytes: UnsafeRawBufferPointer, headerLength: Int, inner: LinkType, nesting: Int) -> Network {
        guard headerLength >= 4, headerLength <= bytes.count else { return .truncated }
        guard nesting < maxNesting else { return .skipped(.nesting) }
        switch network(bytes.slice(headerLength, bytes.count), linkType: inner, nesting: nesting + 1) {
        case .ipv4(let offset): return .ipv4(offset: headerLength + offset)
        case .ipv6(let offset): return .ipv6(offset: headerLength + offset)
        case let other: return other
        }
    }

    private static func ipVersion(_ bytes: UnsafeRawBufferPointer, offset: Int) -> Network {
        guard offset < bytes.count else { return .truncated }
        switch bytes[offset] >> 4 {
        case 4: return .ipv4(offset: offset)
        case 6: return .ipv6(offset: offset)
        default: return .skipped(.notIP(bytes[offset] >> 4))
        }
    }

    /// An EtherType at `offset - 2`: IP, VLAN tags, PPPoE sessions.
    static func etherType(_ type: UInt16, offset: Int, _ bytes: UnsafeRawBufferPointer) -> Network {
        var type = type
        var offset = offset
        var tags = 0
        while true {
            switch type {
            case 0x0800: return .ipv4(offset: offset)
            case 0x86DD: return .ipv6(offset: offset)
            case 0x8100, 0x88A8, 0x9100:
                tags += 1
                guard tags <= 4 else { return .skipped(.etherType(type)) }
                guard offset + 4 <= bytes.count else { return .truncated }
                type = bytes.u16(offset + 2)
                offset += 4
            case 0x8864:
                // PPPoE session: version/type, code, session id, length, then the PPP protocol.
                guard offset + 8 <= bytes.count else { return .truncated }
                switch bytes.u16(offset + 6) {
                case 0x0021: return .ipv4(offset: offset + 8)
                case 0x0057: return .ipv6(offset: offset + 8)
                case let protocolNumber: return .skipped(.ppp(protocolNumber))
                }
            default:
                // Below 0x0600 the field is an 802.3 length, and an LLC header follows (STP, CDP, …).
                return .skipped(type < 0x0600 ? .llc : .etherType(type))
            }
        }
    }

    /// NFLOG: family, version, resource id, then attributes (length and type in the
    /// capturing host's order, little-endian; padded to 4 bytes); attribute 9 is the packet.
    private static func nflog(_ bytes: UnsafeRawBufferPointer) -> Network {
        guard bytes.count >= 4 else { return .truncated }
        var offset = 4
        while offset + 4 <= bytes.count {
            let length = Int(bytes.u16(offset).byteSwapped)
            let type = bytes.u16(offset + 2).byteSwapped & 0x7FFF
            guard length >= 4 else { return .truncated }
            if type == 9 {
                guard offset + length <= bytes.count else { return .truncated }
                return ipVersion(bytes, offset: offset + 4)
            }
            offset += (length + 3) & ~3
        }
        return .skipped(.nflogWithoutPacket)
    }

    /// An 802.11 data frame: its header, then LLC/SNAP and an EtherType. Protected frames are encrypted.
    private static func ieee80211(_ bytes: UnsafeRawBufferPointer) -> Network {
        guard bytes.count >= 24 else { return .truncated }
        let control = bytes[0]
        let flags = bytes[1]
        guard (control >> 2) & 3 == 2 else { return .skipped(.wirelessManagement) }
        guard flags & 0x40 == 0 else { return .skipped(.wirelessEncrypted) }
        // Subtypes with bit 2 set carry no data (null function, CF-ACK, …).
        let subtype = control >> 4
        guard subtype & 0x4 == 0 else { return .skipped(.wirelessManagement) }
        var offset = 24
        if flags & 0x03 == 0x03 { offset += 6 }
        if subtype & 0x8 != 0 {
            offset += 2
            if flags & 0x80 != 0 { offset += 4 }
        }
        guard offset + 8 <= bytes.count else { return .truncated }
        guard bytes[offset] == 0xAA, bytes[offset + 1] == 0xAA, bytes[offset + 2] == 0x03 else { return .skipped(.notSNAP) }
        return etherType(bytes.u16(offset + 6), offset: offset + 8, bytes)
    }
}
