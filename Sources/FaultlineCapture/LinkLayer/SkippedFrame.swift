/// Why a frame (or a tunnel's inner packet) was not read down to IP: named in
/// the capture's diagnostics with how many frames it cost, never dropped in silence.
enum SkippedFrame: Equatable {
    /// The capture's link type is not one Faultline reads.
    case linkType(LinkType)
    case etherType(UInt16)
    /// An 802.3 frame with an LLC header instead of an EtherType.
    case llc
    /// A PPP (PPPoE, PPTP) protocol other than IPv4/IPv6 (LCP, IPCP, …).
    case ppp(UInt16)
    case addressFamily(UInt32)
    /// A raw-IP frame whose version nibble is neither 4 nor 6.
    case notIP(UInt8)
    case nflogWithoutPacket
    case wirelessManagement
    case wirelessEncrypted
    case notSNAP
    /// Wrappers or tunnels nested too deep to follow.
    case nesting
    /// A GRE payload type not decoded.
    case greProtocol(UInt16)
    /// A tunnel or wrapper header whose options or version are not decoded (GRE routing, ERSPAN frame types…).
    case tunnelVariant(String)

    /// The weird's name: one per kind and value, so each is counted on its own.
    var weirdName: String {
        switch self {
        case .linkType(let type): "unread_link_type_\(type.rawValue)"
        case .etherType(let type): "skipped_ethertype_0x\(hex(type))"
        case .llc: "skipped_802_3_LLC"
        case .ppp(let type): "skipped_PPP_protocol_0x\(hex(type))"
        case .addressFamily(let family): "skipped_address_family_\(family)"
        case .notIP(let version): "skipped_IP_version_\(version)"
        case .nflogWithoutPacket: "skipped_NFLOG_without_packet"
        case .wirelessManagement: "skipped_802_11_non_data"
        case .wirelessEncrypted: "skipped_802_11_encrypted"
        case .notSNAP: "skipped_802_11_non_SNAP"
        case .nesting: "skipped_nested_too_deep"
        case .greProtocol(let type): "skipped_GRE_protocol_0x\(hex(type))"
        case .tunnelVariant(let what): "skipped_\(what)"
        }
    }

    /// What it is, for the diagnostic.
    var detail: String {
        switch self {
        case .linkType(let type): "link type \(type) (\(type.rawValue)) is not read; no DNS decoded from these frames"
        case .etherType(let type): "not IP: EtherType 0x\(hex(type))\(Self.etherTypeNames[type].map { " (\($0))" } ?? "")"
        case .llc: "IEEE 802.3 frame with an LLC header (STP, CDP, …)"
        case .ppp(let type): "PPP control or non-IP protocol 0x\(hex(type))"
        case .addressFamily(let family): "loopback address family \(family) is not IP"
        case .notIP(let version): "raw frame with IP version \(version)"
        case .nflogWithoutPacket: "NFLOG message without a packet attribute"
        case .wirelessManagement: "802.11 management, control or null frame"
        case .wirelessEncrypted: "802.11 protected (encrypted) data frame"
        case .notSNAP: "802.11 data frame without LLC/SNAP"
        case .nesting: "wrappers or tunnels nested deeper than \(LinkLayerDecoder.maxNesting)"
        case .greProtocol(let type): "GRE carrying protocol 0x\(hex(type))\(Self.etherTypeNames[type].map { " (\($0))" } ?? "")"
        case .tunnelVariant(let what): what.split(separator: "_").joined(separator: " ")
        }
    }

    private func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static let etherTypeNames: [UInt16: String] = [
        0x0806: "ARP", 0x88CC: "LLDP", 0x8863: "PPPoE discovery", 0x8035: "RARP", 0x888E: "EAPOL", 0x8847: "MPLS",
        0x8848: "MPLS multicast", 0x88E5: "MACsec", 0x8809: "slow protocols (LACP)", 0x9000: "loopback", 0x880B: "PPP",
        0x22F0: "AVTP", 0x88F7: "PTP", 0x893A: "IEEE 1905",
    ]
}
