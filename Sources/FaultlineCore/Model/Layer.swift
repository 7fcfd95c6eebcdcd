/// The layer a cause or event belongs to, ordered from the bottom of the stack up.
///
/// A cause on a lower layer that explains a symptom on a higher layer is the
/// root cause (SPEC section 3). `Comparable` follows that order, so
/// `Layer.networkDNS < Layer.build`.
public enum Layer: String, Sendable, CaseIterable, Comparable, Codable {
    case networkDNS = "network-dns"
    case networkTCP = "network-tcp"
    case networkTLS = "network-tls"
    case networkProxy = "network-proxy"
    case networkHTTP = "network-http"
    case filesystem
    case integrity
    case toolchainConfig = "toolchain-config"
    case jvm
    case build

    /// Position from the bottom (0 is the deepest layer).
    public var depth: Int { Layer.allCases.firstIndex(of: self) ?? Layer.allCases.count }

    public static func < (lhs: Layer, rhs: Layer) -> Bool { lhs.depth < rhs.depth }
}
