/// Writes transactions as `faultline dns` prints them: NDJSON with Zeek
/// `dns.log` field names and meanings (plus `rtt` for every paired response,
/// `unanswered`, and what Zeek does not log: retransmissions, duplicates,
/// late answers, ICMP, TC=1 retries, frames), or one human line each.
///
/// Records are built as bytes in one buffer (`ByteSink`), handed to `flush`
/// in large pieces; nothing from the capture reaches the output unescaped.
public final class DNSLogWriter {
    public enum Format: String, Sendable, CaseIterable {
        case ndjson, text
    }

    public let format: Format
    /// Decimal digits of `ts` and `rtt` (the capture's precision).
    public var timestampDigits: Int
    private let names: DNSNameReader
    private let flush: (UnsafeRawBufferPointer) -> Void
    @exclusivity(unchecked) private var sink = ByteSink()
    @exclusivity(unchecked) private var ttlSink = ByteSink(capacity: 1024)
    private let input: [UInt8]?
    private let tables = JSONFieldTable.shared
    /// The whole seconds of the last `ts` written.
    @exclusivity(unchecked) private var seconds = SecondsText()
    /// The texts of the record being written by `write(_:_:)`.
    private let scratch = ByteArena(capacity: 1024)

    /// - Parameters:
    ///   - input: the capture's name, added as `"input"` when several captures are written together.
    public init(format: Format, timestampDigits: Int, names: DNSNameReader, input: String? = nil,
                flush: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.format = format
        self.timestampDigits = timestampDigits
        self.names = names
        self.flush = flush
        self.input = input.map { Array($0.utf8) }
    }

    deinit {
        sink.deallocate()
        ttlSink.deallocate()
    }

    /// Writes out what is buffered.
    public func finish() {
        if sink.count > 0 { flush(sink.bytes) }
        sink.removeAll()
    }

    public func write(_ t: DNSTransaction, _ message: DNSMessage?) {
        // Work on locals (the buffers are unchecked for exclusivity: a writer is used by one thread at a time).
        var out = sink
        switch format {
        case .ndjson:
            let arena = scratch
            arena.removeAll()
            let record = DNSLogRecord(t, arena: arena)
            var ttls = ttlSink
            var cache = seconds
            Self.writeJSON(record, arena: arena.bytes, message, answers: nil, names: names, digits: timestampDigits, input: input,
                           tables: tables, to: &out, ttls: &ttls, seconds: &cache)
            seconds = cache
            ttlSink = ttls
        case .text:
            let answers = message.map { DNSAnswerList($0, names: names) } ?? DNSAnswerList()
            Self.writeText(t, answers: answers, digits: timestampDigits, to: &out)
        }
        sink = out
        if sink.count >= 1 << 16 { finish() }
    }

    /// Writes a flattened transaction (NDJSON only), its texts in `arena`.
    /// `answers`, when given, are the message's sound answer records as its decode kept them.
    func write(_ record: DNSLogRecord, arena: UnsafeRawBufferPointer, _ message: DNSMessage?,
               answers: UnsafeBufferPointer<DNSRecordHeader>? = nil) {
        var out = sink
        var ttls = ttlSink
        var cache = seconds
        Self.writeJSON(record, arena: arena, message, answers: answers, names: names, digits: timestampDigits, input: input,
                       tables: tables, to: &out, ttls: &ttls, seconds: &cache)
        seconds = cache
        ttlSink = ttls
        sink = out
        if sink.count >= 1 << 16 { finish() }
    }

    // MARK: NDJSON

    @inline(__always)
    private static func bool(_ key: StaticString, _ value: Bool, _ out: inout ByteSink) {
        out.append(key)
        out.append(value ? "true" : "false")
    }

    @inline(__always)
    private static func number(_ key: StaticString, _ value: Int, _ out: inout ByteSink) {
        out.append(key)
        if value < 0 { out.append(0x2D) }
        out.appendDecimal(UInt64(value.magnitude))
    }

    @inline(__always)
    private static func string(_ key: StaticString, _ value: String, _ out: inout ByteSink) {
        out.append(key)
        var copy = value
        copy.withUTF8 { out.appendJSONString(UnsafeRawBufferPointer($0)) }
    }

    private static func writeJSON(_ t: DNSLogRecord, arena: UnsafeRawBufferPointer, _ message: DNSMessage?,
                                  answers kept: UnsafeBufferPointer<DNSRecordHeader>?, names: DNSNameReader,
                                  digits: Int, input: [UInt8]?, tables: JSONFieldTable, to out: inout ByteSink,
                                  ttls: inout ByteSink, seconds: inout SecondsText) {
        // The first answer record: Zeek's `query` for a response whose query was not seen, and
        // whether Zeek would set rtt, AA and RA (only once an answer record is processed).
        let firstOwner = message?.firstAnswerOwner
        let query = t.query
        let response = t.response
        let firstTime = query?.time ?? response?.time ?? 0
        out.reserve(256)
        out.append("{\"ts\":")
        out.appendTimestamp(firstTime, digits: digits, cache: &seconds)
        out.append(",\"uid\":\"")
        ConnectionUID.append(t.client, t.server, t.transport, to: &out)
        out.append("\",\"id.orig_h\":\"")
        out.append(t.client.address)
        out.append("\",\"id.orig_p\":")
        out.appendDecimal(UInt64(t.client.port))
        out.append(",\"id.resp_h\":\"")
        out.append(t.server.address)
        out.append("\",\"id.resp_p\":")
        out.appendDecimal(UInt64(t.server.port))
        out.append(t.transport == .udp ? ",\"proto\":\"udp\",\"trans_id\":" : ",\"proto\":\"tcp\",\"trans_id\":")
        out.appendDecimal(UInt64(t.id))
        if let query, let response {
            out.append(",\"rtt\":")
            out.appendFixed(response.time &- query.time, digits: digits)
        }
        if let name = query?.name {
            out.append(",\"query\":")
            out.appendJSONString(name.bytes(in: arena))
        } else if let message, let owner = firstOwner {
            var scratch: [UInt8] = []
            if names.append(message.bytes, at: owner, to: &scratch) {
                out.append(",\"query\":")
                out.appendJSONString(scratch)
            }
        }
        if let query, query.name != nil {
            if query.qclass == 1 {
                out.append(",\"qclass\":1,\"qclass_name\":\"C_INTERNET\"")
            } else {
                number(",\"qclass\":", Int(query.qclass), &out)
                string(",\"qclass_name\":", DNSNames.qclass(query.qclass), &out)
            }
            if query.qtype < 256 {
                out.append(slot: tables.qtype(query.qtype))
            } else {
                number(",\"qtype\":", Int(query.qtype), &out)
                string(",\"qtype_name\":", DNSNames.type(query.qtype), &out)
            }
        }
        if let response {
            if response.rcode < 32 {
                out.append(slot: tables.rcode(response.rcode))
            } else {
                number(",\"rcode\":", Int(response.rcode), &out)
                string(",\"rcode_name\":", DNSNames.rcode(response.rcode), &out)
            }
        }
        // Zeek sets AA and RA from a response only when it carried an answer record.
        let answered = response != nil && firstOwner != nil
        let queryHeader = query?.header
        let responseHeader = response?.header
        out.append(slot: tables.flags(aa: answered && responseHeader?.authoritative == true,
                                      tc: queryHeader?.truncated == true || responseHeader?.truncated == true,
                                      rd: queryHeader?.recursionDesired == true,
                                      ra: answered && responseHeader?.recursionAvailable == true,
                                      z: queryHeader?.z ?? 0))
        if let message, firstOwner != nil {
            ttls.removeAll()
            var first = true
            // The records the decode kept, else walked again.
            var iterator = message.answers(names)
            var index = 0
            while true {
                let record: DNSRecordHeader
                if let kept {
                    guard index < kept.count else { break }
                    record = kept[index]
                    index += 1
                } else {
                    guard let next = iterator.next() else { break }
                    record = next
                }
                guard DNSRecordData.isAnswer(record.type) else { continue }
                let mark = out.count
                out.append(first ? ",\"answers\":[\"" : ",\"")
                let contentStart = out.count
                var target = JSONRenderTarget(sink: out)
                DNSRecordData.render(record, in: message.bytes, names: names, to: &target)
                out = target.sink
                if out.count == contentStart {
                    out.truncate(to: mark)
                    continue
                }
                out.append(0x22)
                if !first { ttls.append(0x2C) }
                ttls.appendDecimal(UInt64(record.ttl))
                ttls.append(".0")
                first = false
            }
            if !first {
                out.append("],\"TTLs\":[")
                let rendered = ttls.bytes
                if let address = rendered.baseAddress { out.append(address, count: rendered.count) }
                out.append(0x5D)
            }
        }
        var rejected = false
        if let response, response.rcode != 0 {
            let header = response.header
            rejected = header.questionCount == 0
                || (header.answerCount == 0 && header.authorityCount == 0 && header.additionalCount == 0)
        }
        let opcode = queryHeader?.opcode ?? responseHeader?.opcode ?? 0
        if opcode == 0 {
            out.append(rejected ? ",\"rejected\":true,\"opcode\":0,\"opcode_name\":\"query\""
                                : ",\"rejected\":false,\"opcode\":0,\"opcode_name\":\"query\"")
        } else {
            bool(",\"rejected\":", rejected, &out)
            number(",\"opcode\":", Int(opcode), &out)
            string(",\"opcode_name\":", DNSNames.opcode(opcode), &out)
        }
        // What Zeek does not log.
        if let query {
            if let original = query.originalName {
                out.append(",\"original_query\":")
                out.appendJSONString(original.bytes(in: arena))
            }
            if response == nil, !t.multicast { out.append(",\"unanswered\":true") }
            if query.retransmissions > 0 { number(",\"retransmissions\":", query.retransmissions, &out) }
        }
        if t.multicast { out.append(",\"multicast\":true") }
        if t.duplicate { out.append(",\"duplicate\":true") }
        if t.late { out.append(",\"late\":true") }
        if let icmp = t.icmp {
            out.append(",\"icmp\":")
            out.appendJSONString(icmp.reason.bytes(in: arena))
            number(",\"icmp_frame\":", icmp.frame, &out)
        }
        if let retry = t.retry {
            out.append(",\"tc_retry_of\":\"")
            ConnectionUID.append(retry.client, retry.server, .udp, to: &out)
            number("\",\"tc_retry_of_frame\":", retry.frame, &out)
        }
        if let query {
            out.append(",\"frame\":")
            out.appendDecimal(UInt64(clamping: query.frame))
        }
        if let response {
            out.append(",\"response_frame\":")
            out.appendDecimal(UInt64(clamping: response.frame))
        }
        if let input {
            out.append(",\"input\":")
            out.appendJSONString(input)
        }
        out.append("}\n")
    }

    // MARK: Text

    private static func writeText(_ t: DNSTransaction, answers: DNSAnswerList, digits: Int, to out: inout ByteSink) {
        out.appendFixed(t.firstTime.nanoseconds, digits: digits)
        out.append("  frame ")
        out.appendDecimal(UInt64(max(0, t.firstFrame)))
        out.append("  ")
        out.append(Array(t.client.description.utf8))
        out.append(" > ")
        out.append(Array(t.server.description.utf8))
        out.append(t.transport == .udp ? " udp " : " tcp ")
        out.append(Array(DNSTransactionText.summary(t, answers: answers.strings).utf8))
        out.append(0x0A)
    }
}

/// The one-line summary of a transaction used in text output and event text:
/// `A? proxy.golang.org → NOERROR 10.99.0.1 (3.1 ms)`, `A? proxy.golang.org → no reply`.
public enum DNSTransactionText {
    public static func summary(_ t: DNSTransaction, answers: [String]) -> String {
        let type = t.qtype.map(DNSNames.type) ?? "?"
        let name = t.name.map { $0.isEmpty ? "." : EscapedText.plain($0) } ?? "(no question)"
        var text = "\(type)? \(name) → "
        guard let response = t.response else {
            if let icmp = t.unreachable { return text + "no reply (ICMP \(icmp.reason), frame \(icmp.frame))" }
            if t.multicast { return text + "(multicast, not paired)" }
            return text + "no reply" + (t.query.map { $0.retransmissions > 0 ? " (\($0.retransmissions + 1) copies sent)" : "" } ?? "")
        }
        text += DNSNames.rcode(response.rcode)
        if response.header.truncated { text += " TC" }
        if !answers.isEmpty {
            text += " " + answers.prefix(4).joined(separator: ",")
            if answers.count > 4 { text += ",…" }
        }
        if let rtt = t.rtt { text += " (\(milliseconds(rtt)))" }
        if t.late { text += " late" }
        if t.duplicate { text += " (duplicate response)" }
        if t.query == nil, !t.duplicate, !t.multicast { text += " (query not seen)" }
        return text
    }

    /// `3.1 ms` under a second, `1.40 s` from a second up.
    public static func milliseconds(_ nanoseconds: Int64) -> String {
        let ms = Double(nanoseconds) / 1e6
        if ms < 1000 {
            let tenths = (ms * 10).rounded() / 10
            return "\(tenths) ms"
        }
        let s = (ms / 10).rounded() / 100
        var text = String(s)
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) == 2 { text += "0" }
        return "\(text) s"
    }
}
