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
    @exclusivity(unchecked) public var timestampDigits: Int
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
    /// One answer rendered for a text line (reused: no allocation per answer).
    @exclusivity(unchecked) private var answerText = PlainRenderTarget()
    /// Whether `write` hands the buffer to `flush` once it is large (not while `rendering`).
    @exclusivity(unchecked) private var flushesWhenFull = true

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

    private init(format: Format, timestampDigits: Int, names: DNSNameReader, input: [UInt8]?) {
        self.format = format
        self.timestampDigits = timestampDigits
        self.names = names
        flush = { _ in }
        self.input = input
    }

    deinit {
        sink.deallocate()
        ttlSink.deallocate()
    }

    /// A writer printing the same way into buffers given to `rendering` (its own `flush` does
    /// nothing): for another thread rendering batches that this writer writes out in order.
    func sibling() -> DNSLogWriter {
        DNSLogWriter(format: format, timestampDigits: timestampDigits, names: names, input: input)
    }

    /// Runs `body`, whose `write`s go to `out` (appended, never flushed) instead of this writer's buffer.
    func rendering(into out: inout ByteSink, _ body: () -> Void) {
        swap(&sink, &out)
        flushesWhenFull = false
        body()
        flushesWhenFull = true
        swap(&sink, &out)
    }

    /// Writes out what is buffered, then `rendered` (records a `rendering` wrote elsewhere).
    func emit(_ rendered: UnsafeRawBufferPointer) {
        finish()
        if rendered.count > 0 { flush(rendered) }
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
            var record = DNSLogRecord(t, arena: arena)
            var ttls = ttlSink
            var cache = seconds
            let names = names, digits = timestampDigits, input = input, tables = tables
            withUnsafePointer(to: &record) { record in
                func write(_ message: UnsafePointer<DNSMessage>?) {
                    Self.writeJSON(record, arena: arena.bytes, message, answers: nil, names: names, digits: digits, input: input,
                                   tables: tables, to: &out, ttls: &ttls, seconds: &cache)
                }
                if var decoded = message {
                    withUnsafePointer(to: &decoded) { write($0) }
                } else {
                    write(nil)
                }
            }
            seconds = cache
            ttlSink = ttls
        case .text:
            var rendered = answerText
            Self.writeText(t, message, names: names, digits: timestampDigits, to: &out, scratch: &rendered)
            answerText = rendered
        }
        sink = out
        if flushesWhenFull, sink.count >= 1 << 16 { finish() }
    }

    /// Writes a flattened transaction (NDJSON only), its texts in `arena`.
    /// `answers`, when given, are the message's sound answer records as its decode kept them.
    /// The record and the message are lent by pointer: they are large, and a copy of either made
    /// just after it was written stalls on store forwarding.
    func write(_ record: UnsafePointer<DNSLogRecord>, arena: UnsafeRawBufferPointer, _ message: UnsafePointer<DNSMessage>?,
               answers: UnsafeBufferPointer<DNSRecordHeader>? = nil) {
        var out = sink
        var ttls = ttlSink
        var cache = seconds
        Self.writeJSON(record, arena: arena, message, answers: answers, names: names, digits: timestampDigits, input: input,
                       tables: tables, to: &out, ttls: &ttls, seconds: &cache)
        seconds = cache
        ttlSink = ttls
        sink = out
        if flushesWhenFull, sink.count >= 1 << 16 { finish() }
    }

    // MARK: NDJSON

    /// A key and a number (room: the key and 21); the cursor by value, as `ByteCursor.decimal`.
    @inline(__always)
    private static func number(_ key: StaticString, _ value: Int, _ start: ByteCursor) -> ByteCursor {
        var c = start
        c.put(key)
        if value < 0 { c.put(0x2D) }
        return ByteCursor.decimal(UInt64(value.magnitude), c)
    }

    @inline(__always)
    private static func string(_ key: StaticString, _ value: String, _ out: inout ByteSink) {
        out.append(key)
        var copy = value
        copy.withUTF8 { out.appendJSONString(UnsafeRawBufferPointer($0)) }
    }

    private static func writeJSON(_ record: UnsafePointer<DNSLogRecord>, arena: UnsafeRawBufferPointer,
                                  _ message: UnsafePointer<DNSMessage>?,
                                  answers kept: UnsafeBufferPointer<DNSRecordHeader>?, names: DNSNameReader,
                                  digits: Int, input: [UInt8]?, tables: JSONFieldTable, to sink: inout ByteSink,
                                  ttls: inout ByteSink, seconds: inout SecondsText) {
        // Written through cursors into room reserved for each run of fields (the names from the
        // capture counted at six bytes a byte, their longest escape): the position stays in a
        // register, with no room to check per field. The rare fields go through the sink.
        var out = sink
        defer { sink = out }
        // The first answer record: Zeek's `query` for a response whose query was not seen, and
        // whether Zeek would set rtt, AA and RA (only once an answer record is processed).
        let firstOwner = message?.pointee.firstAnswerOwner
        let query = record.pointee.query
        let response = record.pointee.response
        var ownerName: [UInt8]?
        let queryName: UnsafeRawBufferPointer?
        if let name = query?.name {
            queryName = name.bytes(in: arena)
        } else if let message, let owner = firstOwner {
            var scratch: [UInt8] = []
            if names.append(message.pointee.bytes, at: owner, to: &scratch) { ownerName = scratch }
            queryName = nil
        } else {
            queryName = nil
        }
        var c = out.cursor(room: 1024 &+ 6 &* (queryName?.count ?? ownerName?.count ?? 0))
        c = writeHead(record, queryName: queryName, ownerName: ownerName, firstOwner: firstOwner, digits: digits,
                      tables: tables, seconds: &seconds, sink: &out, c)
        out.end(c)
        if let message, firstOwner != nil {
            ttls.removeAll()
            var first = true
            // The records the decode kept, else walked again.
            var iterator = message.pointee.answers(names)
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
                DNSRecordData.render(record, in: message.pointee.bytes, names: names, to: &target)
                out = target.sink
                if out.count == contentStart {
                    out.truncate(to: mark)
                    continue
                }
                out.append(0x22)
                var t = ttls.cursor(room: 24)
                if !first { t.put(0x2C) }
                t = ByteCursor.decimal(UInt64(record.ttl), t)
                t.put(".0")
                ttls.end(t)
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
        let extras = record.pointee.extras(in: arena)
        let original = query?.originalName?.bytes(in: arena)
        let reason = extras?.icmp?.reason.bytes(in: arena)
        let texts = (original?.count ?? 0) &+ (reason?.count ?? 0) &+ (input?.count ?? 0)
        let tailRoom = 1024 &+ 6 &* texts
        c = out.cursor(room: tailRoom)
        c = writeTail(record, rejected: rejected, original: original, extras: extras, reason: reason,
                      input: input, room: tailRoom, sink: &out, c)
        out.end(c)
    }

    /// The fields before the answers, through `c` (room reserved by the caller: the query name
    /// at six bytes a byte, and 1024); rare fields go through `sink`. Apart from `writeJSON`, so the
    /// small writers it calls are inlined (`writeJSON` is past the inliner's size limit).
    private static func writeHead(_ t: UnsafePointer<DNSLogRecord>, queryName: UnsafeRawBufferPointer?, ownerName: [UInt8]?,
                                  firstOwner: Int?, digits: Int, tables: JSONFieldTable, seconds: inout SecondsText,
                                  sink: inout ByteSink, _ start: ByteCursor) -> ByteCursor {
        var c = start
        let query = t.pointee.query
        let response = t.pointee.response
        let firstTime = query?.time ?? response?.time ?? 0
        c.put("{\"ts\":")
        c = ByteCursor.timestamp(firstTime, digits: digits, cache: &seconds, c)
        c.put(",\"uid\":\"")
        ConnectionUID.put(t.pointee.client, t.pointee.server, t.pointee.transport, to: &c)
        c.put("\",\"id.orig_h\":\"")
        c.put(t.pointee.client.address)
        c.put("\",\"id.orig_p\":")
        c = ByteCursor.decimal(UInt64(t.pointee.client.port), c)
        c.put(",\"id.resp_h\":\"")
        c.put(t.pointee.server.address)
        c.put("\",\"id.resp_p\":")
        c = ByteCursor.decimal(UInt64(t.pointee.server.port), c)
        c.put(t.pointee.transport == .udp ? ",\"proto\":\"udp\",\"trans_id\":" : ",\"proto\":\"tcp\",\"trans_id\":")
        c = ByteCursor.decimal(UInt64(t.pointee.id), c)
        if let query, let response {
            c.put(",\"rtt\":")
            c = ByteCursor.fixed(response.time &- query.time, digits: digits, c)
        }
        if let queryName {
            c.put(",\"query\":")
            c.putJSONString(queryName)
        } else if let ownerName {
            c.put(",\"query\":")
            ownerName.withUnsafeBytes { c.putJSONString($0) }
        }
        if let query, query.name != nil {
            if query.qclass == 1 {
                c.put(",\"qclass\":1,\"qclass_name\":\"C_INTERNET\"")
            } else {
                c = number(",\"qclass\":", Int(query.qclass), c)
                c = rare(&sink, c, room: 1024) { string(",\"qclass_name\":", DNSNames.qclass(query.qclass), &$0) }
            }
            if query.qtype < 256 {
                c.put(slot: tables.qtype(query.qtype))
            } else {
                c = number(",\"qtype\":", Int(query.qtype), c)
                c = rare(&sink, c, room: 1024) { string(",\"qtype_name\":", DNSNames.type(query.qtype), &$0) }
            }
        }
        if let response {
            if response.rcode < 32 {
                c.put(slot: tables.rcode(response.rcode))
            } else {
                c = number(",\"rcode\":", Int(response.rcode), c)
                c = rare(&sink, c, room: 1024) { string(",\"rcode_name\":", DNSNames.rcode(response.rcode), &$0) }
            }
        }
        // Zeek sets AA and RA from a response only when it carried an answer record.
        let answered = response != nil && firstOwner != nil
        let queryHeader = query?.header
        let responseHeader = response?.header
        c.put(slot: tables.flags(aa: answered && responseHeader?.authoritative == true,
                                 tc: queryHeader?.truncated == true || responseHeader?.truncated == true,
                                 rd: queryHeader?.recursionDesired == true,
                                 ra: answered && responseHeader?.recursionAvailable == true,
                                 z: queryHeader?.z ?? 0))
        return c
    }

    /// The fields after the answers, through `c` (room reserved by the caller: `room`, the
    /// capture's texts at six bytes a byte, and 1024); rare fields go through `sink`.
    private static func writeTail(_ t: UnsafePointer<DNSLogRecord>, rejected: Bool,
                                  original: UnsafeRawBufferPointer?, extras: DNSLogRecord.Extras?, reason: UnsafeRawBufferPointer?,
                                  input: [UInt8]?, room: Int, sink: inout ByteSink, _ start: ByteCursor) -> ByteCursor {
        var c = start
        let query = t.pointee.query
        let response = t.pointee.response
        let queryHeader = query?.header
        let responseHeader = response?.header
        let opcode = queryHeader?.opcode ?? responseHeader?.opcode ?? 0
        if opcode == 0 {
            c.put(rejected ? ",\"rejected\":true,\"opcode\":0,\"opcode_name\":\"query\""
                           : ",\"rejected\":false,\"opcode\":0,\"opcode_name\":\"query\"")
        } else {
            c.put(",\"rejected\":")
            c.put(rejected ? "true" : "false")
            c = number(",\"opcode\":", Int(opcode), c)
            c = rare(&sink, c, room: room) { string(",\"opcode_name\":", DNSNames.opcode(opcode), &$0) }
        }
        // What Zeek does not log.
        if let query {
            if let original {
                c.put(",\"original_query\":")
                c.putJSONString(original)
            }
            if response == nil, !t.pointee.multicast { c.put(",\"unanswered\":true") }
            if query.retransmissions > 0 { c = number(",\"retransmissions\":", Int(query.retransmissions), c) }
        }
        // `rcode` is RFC 6891's 12-bit value (the OPT record's upper bits included); where that differs
        // from the header's 4 bits, which is what Zeek's dns.log shows, the header's value is given too.
        if let response, response.rcode > 15 { c = number(",\"header_rcode\":", Int(response.header.flags & 0xF), c) }
        // A response whose query was not seen: Zeek takes RD from a query only (`RD` stays false, as
        // Zeek logs it), so the response's own RD bit is given beside it.
        if query == nil, let responseHeader {
            c.put(responseHeader.recursionDesired ? ",\"response_rd\":true" : ",\"response_rd\":false")
        }
        if t.pointee.multicast { c.put(",\"multicast\":true") }
        if t.pointee.duplicate { c.put(",\"duplicate\":true") }
        if t.pointee.late { c.put(",\"late\":true") }
        if let icmp = extras?.icmp, let reason {
            c.put(",\"icmp\":")
            c.putJSONString(reason)
            c = number(",\"icmp_frame\":", icmp.frame, c)
        }
        if let retry = extras?.retry {
            c.put(",\"tc_retry_of\":\"")
            ConnectionUID.put(retry.client, retry.server, .udp, to: &c)
            c = number("\",\"tc_retry_of_frame\":", retry.frame, c)
        }
        if let query {
            c.put(",\"frame\":")
            c = ByteCursor.decimal(UInt64(clamping: query.frame), c)
        }
        if let response {
            c.put(",\"response_frame\":")
            c = ByteCursor.decimal(UInt64(clamping: response.frame), c)
        }
        if let input {
            c.put(",\"input\":")
            input.withUnsafeBytes { c.putJSONString($0) }
        }
        c.put("}\n")
        return c
    }

    /// A rare field written through the sink between two runs of a cursor: the cursor's bytes
    /// become the sink's, `body` appends, and a cursor after it comes back with `room` reserved
    /// (what the rest of its run needs).
    @inline(never)
    private static func rare(_ sink: inout ByteSink, _ c: ByteCursor, room: Int, _ body: (inout ByteSink) -> Void) -> ByteCursor {
        sink.end(c)
        body(&sink)
        return sink.cursor(room: room)
    }

    // MARK: Text

    /// One line, the same text `DNSTransactionText.summary` gives, written as bytes: the answers
    /// rendered one at a time into `scratch`, at most four and `,…`.
    private static func writeText(_ t: DNSTransaction, _ message: DNSMessage?, names: DNSNameReader, digits: Int,
                                  to out: inout ByteSink, scratch: inout PlainRenderTarget) {
        out.reserve(256)
        out.appendFixed(t.firstTime.nanoseconds, digits: digits)
        out.append("  frame ")
        out.appendDecimal(UInt64(max(0, t.firstFrame)))
        out.append("  ")
        appendEndpoint(t.client, to: &out)
        out.append(" > ")
        appendEndpoint(t.server, to: &out)
        out.append(t.transport == .udp ? " udp " : " tcp ")
        if let qtype = t.qtype { appendText(DNSNames.type(qtype), to: &out) } else { out.append(0x3F) }
        out.append("? ")
        if let name = t.name {
            if name.isEmpty { out.append(0x2E) } else { EscapedText.appendPlain(name, into: &out) }
        } else {
            out.append("(no question)")
        }
        out.append(" \u{2192} ")
        if let response = t.response {
            appendText(DNSNames.rcode(response.rcode), to: &out)
            if response.header.truncated { out.append(" TC") }
            if let message {
                var shown = 0
                for record in message.answers(names) where DNSRecordData.isAnswer(record.type) {
                    scratch.bytes.removeAll(keepingCapacity: true)
                    DNSRecordData.render(record, in: message.bytes, names: names, to: &scratch)
                    guard !scratch.bytes.isEmpty else { continue }
                    if shown == 4 {
                        out.append(",\u{2026}")
                        break
                    }
                    out.append(shown == 0 ? 0x20 : 0x2C)
                    out.append(scratch.bytes)
                    shown += 1
                }
            }
            if let rtt = t.rtt {
                out.append(" (")
                appendMilliseconds(rtt, to: &out)
                out.append(0x29)
            }
            if t.late { out.append(" late") }
            if t.duplicate { out.append(" (duplicate response)") }
            if t.query == nil, !t.duplicate, !t.multicast { out.append(" (query not seen)") }
        } else if let icmp = t.unreachable {
            out.append("no reply (ICMP ")
            appendText(icmp.reason, to: &out)
            out.append(", frame ")
            if icmp.frame < 0 { out.append(0x2D) }
            out.appendDecimal(UInt64(icmp.frame.magnitude))
            out.append(0x29)
        } else if t.multicast {
            out.append("(multicast, not paired)")
        } else {
            out.append("no reply")
            if let query = t.query, query.retransmissions > 0 {
                out.append(" (")
                out.appendDecimal(UInt64(query.retransmissions + 1))
                out.append(" copies sent)")
            }
        }
        out.append(0x0A)
    }

    /// `10.0.0.1:53`, or `[fe80::1]:53` for IPv6 (as `Endpoint.description`).
    @inline(__always)
    private static func appendEndpoint(_ endpoint: Endpoint, to out: inout ByteSink) {
        if endpoint.address.isIPv6 {
            out.append(0x5B)
            out.append(endpoint.address)
            out.append(0x5D)
        } else {
            out.append(endpoint.address)
        }
        out.append(0x3A)
        out.appendDecimal(UInt64(endpoint.port))
    }

    /// Our own text (type and rcode names, ICMP reasons), as is.
    @inline(__always)
    private static func appendText(_ text: String, to out: inout ByteSink) {
        var copy = text
        copy.withUTF8 { utf8 in
            if let start = utf8.baseAddress { out.append(UnsafeRawPointer(start), count: utf8.count) }
        }
    }

    /// `DNSTransactionText.milliseconds` without making a string on the common path (a
    /// non-negative time under 10^6 s, tenths of a millisecond or hundredths of a second).
    private static func appendMilliseconds(_ nanoseconds: Int64, to out: inout ByteSink) {
        let ms = Double(nanoseconds) / 1e6
        guard nanoseconds >= 0, ms < 1e9 else {
            appendText(DNSTransactionText.milliseconds(nanoseconds), to: &out)
            return
        }
        if ms < 1000 {
            let tenths = UInt64((ms * 10).rounded())
            out.appendDecimal(tenths / 10)
            out.append(0x2E)
            out.appendDecimal(tenths % 10)
            out.append(" ms")
        } else {
            let hundredths = UInt64((ms / 10).rounded())
            out.appendDecimal(hundredths / 100)
            out.append(0x2E)
            out.append(UInt8(0x30 + hundredths % 100 / 10))
            out.append(UInt8(0x30 + hundredths % 10))
            out.append(" s")
        }
    }
}

/// The one-line summary of a transaction used in text output and event text:
/// `A? proxy.golang.org → NOERROR 10.99.0.1 (3.1 ms)`, `A? proxy.golang.org → no reply`.
public enum DNSTransactionText {
    /// `name`: the question name as text (`EscapedText.plain`) when the caller has it made already.
    public static func summary(_ t: DNSTransaction, answers: [String], name known: String? = nil) -> String {
        let type = t.qtype.map(DNSNames.type) ?? "?"
        let name = known.map { $0.isEmpty ? "." : $0 } ?? t.name.map { $0.isEmpty ? "." : EscapedText.plain($0) } ?? "(no question)"
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
