public import FaultlineCore

/// Turns a capture's DNS into the events the correlation engine reads:
/// one `dns.transaction` event per transaction (multicast queries, which
/// expect no answer, are left out) and, at the end, `dns.finding` events
/// that carry a cause from the catalogue.
public struct DNSEventBuilder {
    public static let transactionKind = EventKind("dns.transaction")
    public static let findingKind = EventKind("dns.finding")

    public let inputIndex: Int
    /// Each cause's layer, from the catalogue (`knowledge.causes[id]?.layer`).
    public let layers: [String: Layer]
    public private(set) var detector = DNSFindingDetector()
    private let names: DNSNameReader

    public init(inputIndex: Int, layers: [String: Layer], names: DNSNameReader) {
        self.inputIndex = inputIndex
        self.layers = layers
        self.names = names
    }

    /// The event for one transaction (nil for a multicast query), after tallying it for the findings.
    public mutating func event(for t: DNSTransaction, message: DNSMessage?) -> Event? {
        let rendered = message.map { DNSAnswerList($0, names: names).strings } ?? []
        detector.observe(t, answers: rendered)
        if t.multicast, t.response == nil { return nil }
        var subjects = Subjects()
        if let name = t.name { subjects[Subjects.Key.host] = EscapedText.plain(name) }
        subjects[Subjects.Key.nameserver] = t.server.description
        subjects["client"] = t.client.description
        if let qtype = t.qtype { subjects["qtype"] = DNSNames.type(qtype) }
        subjects["rcode"] = t.response.map { DNSNames.rcode($0.rcode) } ?? "none"
        if let rtt = t.rtt { subjects["rtt_ms"] = String(Double(rtt / 1000) / 1000) }
        if !rendered.isEmpty { subjects["answers"] = rendered.joined(separator: ",") }
        return Event(time: .absolute(t.firstTime.seconds),
                     location: SourceLocation(input: inputIndex, frame: t.firstFrame),
                     kind: Self.transactionKind, severity: .info,
                     text: DNSTransactionText.summary(t, answers: rendered), subjects: subjects)
    }

    public mutating func observe(_ icmp: ICMPUnreachable) { detector.observe(icmp) }

    /// The findings as cause-carrying events.
    public func findingEvents() -> [Event] {
        detector.findings().map { finding in
            var subjects = Subjects([Subjects.Key.host: finding.host, Subjects.Key.nameserver: finding.nameserver])
            for (key, value) in finding.extra { subjects[key] = value }
            return Event(time: .absolute(finding.time.seconds),
                         location: SourceLocation(input: inputIndex, frame: finding.frame),
                         kind: Self.findingKind, severity: finding.severity, text: finding.text, subjects: subjects,
                         cause: finding.cause, layer: layers[finding.cause] ?? .networkDNS, confidence: finding.confidence)
        }
    }
}
