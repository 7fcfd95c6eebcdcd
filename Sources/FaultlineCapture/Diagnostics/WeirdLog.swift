public import FaultlineCore

/// Zeek-style "weirds": malformed, truncated or odd packets, recorded as data
/// (name, frame, detail) while decoding goes on, then reported as
/// diagnostics — one per weird name, with its count and first frames, so a
/// capture full of bad checksums cannot flood a report.
public struct WeirdLog: Sendable {
    /// One kind of weird seen in a capture.
    public struct Entry: Sendable {
        /// Zeek's name where it has one (`DNS_label_forward_compress_offset`, `bad_UDP_checksum`).
        public var name: String
        public var count: Int
        /// The first frames it was seen in (at most `framesKept`).
        public var frames: [Int]
        /// The first occurrence's detail (`need 32 bits, have 24 bits`), if any.
        public var detail: String?
        public var severity: Severity
    }

    public private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]
    public static let framesKept = 8

    public init() {}

    public mutating func note(_ name: String, frame: Int, detail: String? = nil, severity: Severity = .warning) {
        if let i = index[name] {
            entries[i].count += 1
            if entries[i].frames.count < Self.framesKept, entries[i].frames.last != frame { entries[i].frames.append(frame) }
            return
        }
        index[name] = entries.count
        entries.append(Entry(name: name, count: 1, frames: [frame], detail: detail, severity: severity))
    }

    /// Adds every entry of `other` (kept in `other`'s order after this one's).
    public mutating func merge(_ other: WeirdLog) {
        for entry in other.entries {
            if let i = index[entry.name] {
                entries[i].count += entry.count
                for frame in entry.frames where entries[i].frames.count < Self.framesKept && !entries[i].frames.contains(frame) {
                    entries[i].frames.append(frame)
                }
            } else {
                index[entry.name] = entries.count
                entries.append(entry)
            }
        }
    }

    public func count(_ name: String) -> Int { index[name].map { entries[$0].count } ?? 0 }

    /// The weirds as diagnostics: code `capture.<name>`, frame of the first one.
    public func diagnostics(input: String) -> [Diagnostic] {
        entries.map { entry in
            let frames = entry.frames.map(String.init).joined(separator: ", ")
            let more = entry.count > entry.frames.count ? ", …" : ""
            var message = "\(entry.name): \(entry.count) packet\(entry.count == 1 ? "" : "s") (frame\(entry.frames.count == 1 && entry.count == 1 ? "" : "s") \(frames)\(more))"
            if let detail = entry.detail { message += "; first: \(detail)" }
            if let explanation = Self.explanations[entry.name] { message += " — \(explanation)" }
            return Diagnostic(code: "capture.\(entry.name)", message: message, input: input,
                              frame: entry.frames.first, severity: entry.severity)
        }
    }

    static let explanations: [String: String] = [
        "bad_UDP_checksum": "kept and decoded (captures taken on the sending host often carry unfinished checksums)",
        "bad_TCP_checksum": "kept and decoded (captures taken on the sending host often carry unfinished checksums)",
        "bad_IP_checksum": "kept and decoded",
        "truncated_IP": "the packet is shorter than its IP header says; what was there was decoded",
        "packet_cut_by_snaplen": "the capture kept only the start of the packet (snaplen); what was there was decoded",
        "DNS_truncated_len_lt_hdr_len": "shorter than a DNS header; skipped",
        "DNS_label_forward_compress_offset": "a compression pointer points forward; the name was not decoded",
        "DNS_max_compression_chain_depth_exceeded": "too many chained compression pointers; the name was not decoded",
        "DNS_label_len_gt_pkt": "a label runs past the end of the message",
        "DNS_truncated_RR_rdlength_lt_len": "a record's data runs past the end of the message",
        "fragment_reassembly_timeout": "IP fragments never completed; dropped",
        "TCP_content_gap": "missing TCP data; DNS messages in the gap were lost, the stream was read again from the next message after it",
        "DNS_NAME_too_long": "a name longer than 255 bytes; its first 255 bytes and the question's type were kept",
        "truncated_tunnel": "a tunnel's header or inner frame is cut short; skipped",
    ]
}
