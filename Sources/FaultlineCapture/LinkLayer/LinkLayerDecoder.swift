/// Finds the IP packet inside a link-layer frame: Ethernet (with any number of
/// 802.1Q/802.1ad tags, up to four), Linux cooked SLL and SLL2, raw IP, the
/// IPv4/IPv6 link types and BSD loopback (NULL, LOOP).
enum LinkLayerDecoder {
    /// The network layer a frame carries.
    enum Network {
        case ipv4(offset: Int)
        case ipv6(offset: Int)
        /// Not IP (ARP, LLDP, …): skipped without a word.
        case other
        /// The link header itself is cut short.
        case truncated
    }

    @inline(__always)
    static func network(_ bytes: UnsafeRawBufferPointer, linkType: LinkType) -> Network {
        switch linkType {
        case .ethernet:
            var offset = 12
            var tags = 0
            while true {
                guard offset + 2 <= bytes.count else { return .truncated }
                let type = bytes.u16(offset)
                switch type {
                case 0x0800: return .ipv4(offset: offset + 2)
                case 0x86DD: return .ipv6(offset: offset + 2)
                case 0x8100, 0x88A8, 0x9100:
                    tags += 1
                    if tags > 4 { return .other }
                    offset += 4
                default: return .other
                }
            }
        case .linuxSLL:
            guard bytes.count >= 16 else { return .truncated }
            return etherType(bytes.u16(14), offset: 16, bytes)
        case .linuxSLL2:
            guard bytes.count >= 20 else { return .truncated }
            return etherType(bytes.u16(0), offset: 20, bytes)
        case .raw, .rawBSD, .rawOpenBSD:
            guard bytes.count >= 1 else { return .truncated }
            switch bytes[0] >> 4 {
            case 4: return .ipv4(offset: 0)
            case 6: return .ipv6(offset: 0)
            default: return .other
            }
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
            default: return .other
            }
        default:
            return .other
        }
    }

    private static func etherType(_ type: UInt16, offset: Int, _ bytes: UnsafeRawBufferPointer) -> Network {
        switch type {
        case 0x0800: return .ipv4(offset: offset)
        case 0x86DD: return .ipv6(offset: offset)
        case 0x8100, 0x88A8:
            guard offset + 4 <= bytes.count else { return .truncated }
            return etherType(bytes.u16(offset + 2), offset: offset + 4, bytes)
        default: return .other
        }
    }
}
