/// The answers of a response as Zeek lists them: each answer-section record
/// rendered (`DNSRecordData.render`), empty renderings left out, with TTLs.
/// This is the plain-text form used for events and terminal lines; NDJSON
/// renders straight into its output (`DNSLogWriter`).
struct DNSAnswerList {
    var strings: [String] = []
    var ttls: [UInt32] = []
    /// Whether any answer-section record counted as an answer (Zeek then sets rtt, AA and RA).
    var sawAnswer = false

    init() {}

    init(_ message: DNSMessage, names: DNSNameReader) {
        for record in message.answers(names) where DNSRecordData.isAnswer(record.type) {
            sawAnswer = true
            var target = PlainRenderTarget()
            DNSRecordData.render(record, in: message.bytes, names: names, to: &target)
            if !target.bytes.isEmpty {
                strings.append(String(decoding: target.bytes, as: UTF8.self))
                ttls.append(record.ttl)
            }
        }
    }
}
