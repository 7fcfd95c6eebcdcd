/// UDP or TCP.
public enum TransportProtocol: String, Sendable {
    case udp, tcp
}

/// One DNS message's bytes as the packet decoder found them, with where they came from.
/// `bytes` is borrowed for the duration of the callback.
public struct DNSPayload {
    public var frame: Int
    public var time: CaptureTime
    public var source: Endpoint
    public var destination: Endpoint
    public var transport: TransportProtocol
    public var bytes: UnsafeRawBufferPointer
}

/// An ICMP or ICMPv6 "destination unreachable" about a DNS packet: a router
/// refusing the way to a resolver, or a client port closed when a late answer came.
public struct ICMPUnreachable: Sendable {
    public var frame: Int
    public var time: CaptureTime
    /// Who sent the ICMP message.
    public var reporter: IPAddress
    /// The quoted packet's ends.
    public var source: Endpoint
    public var destination: Endpoint
    /// The DNS id of the quoted packet, when enough of it was quoted.
    public var dnsID: UInt16?
    /// Whether the quoted DNS packet was a response.
    public var quotedResponse: Bool?
    /// `host unreachable`, `port unreachable`, `admin prohibited`, …
    public var reason: String
}
