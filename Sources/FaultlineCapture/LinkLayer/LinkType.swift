/// A libpcap link-layer type (`LINKTYPE_*`/`DLT_*`): what header precedes the IP packet.
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IP as `DLT_RAW` is numbered on some BSDs.
    public static let rawBSD = LinkType(rawValue: 12)
    public static let rawOpenBSD = LinkType(rawValue: 14)
    public static let raw = LinkType(rawValue: 101)
    /// IEEE 802.11 frames without a radio header.
    public static let ieee80211 = LinkType(rawValue: 105)
    /// OpenBSD loopback: the address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    public static let linuxSLL = LinkType(rawValue: 113)
    /// 802.11 frames behind a radiotap header.
    public static let radiotap = LinkType(rawValue: 127)
    /// Per-Packet Information: a header naming the link type of the frame behind it.
    public static let ppi = LinkType(rawValue: 192)
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux netfilter log messages (`tcpdump -i nflog`): type-length-value attributes, one the packet.
    public static let nflog = LinkType(rawValue: 239)
    /// Apple's PKTAP: a header naming the process and the link type of the frame behind it.
    public static let pktap = LinkType(rawValue: 258)
    public static let linuxSLL2 = LinkType(rawValue: 276)

    /// Whether `LinkLayerDecoder` reads this link type.
    public var isSupported: Bool {
        [.null, .ethernet, .rawBSD, .rawOpenBSD, .raw, .ieee80211, .loop, .linuxSLL, .radiotap, .ppi, .ipv4, .ipv6,
         .nflog, .pktap, .linuxSLL2].contains(self)
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "EN10MB"
        case .raw, .rawBSD, .rawOpenBSD: "RAW"
        case .ieee80211: "IEEE802_11"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .radiotap: "IEEE802_11_RADIOTAP"
        case .ppi: "PPI"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .nflog: "NFLOG"
        case .pktap: "PKTAP"
        case .linuxSLL2: "LINUX_SLL2"
        default: "LINKTYPE_\(rawValue)"
        }
    }
}
