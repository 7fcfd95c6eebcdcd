import Foundation

/// `faultline dns --format zeek`: the NDJSON records turned into Zeek's own TSV `dns.log`
/// (the ASCII writer's `#separator`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`,
/// `#open`, `#fields`, `#types` … `#close` lines; `-` unset, `(empty)` an empty set, `T`/`F`,
/// times and intervals with six decimals), so `zeek-cut` and other Zeek tooling read it.
///
/// Where Zeek and the NDJSON differ, the TSV says what Zeek would: `rtt` only once an answer
/// record was seen, an unknown type named `query-N`. A retransmitted query stays one row (Zeek
/// logs each copy); the NDJSON's `retransmissions` counts them.
///
/// Records arrive as NDJSON in pieces of any size (a line may be split between pieces); each
/// complete line is read on its bytes (`FlatJSONRecord`) and written as one row.
public final class ZeekDNSLog: @unchecked Sendable {
    /// dns.log's columns, as Zeek 6 and 7 write them by default.
    public static let fields = ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id",
                                "rtt", "query", "qclass", "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name",
                                "AA", "TC", "RD", "RA", "Z", "answers", "TTLs", "rejected", "opcode", "opcode_name"]
    /// Their Zeek types, in the same order.
    public static let types = ["time", "string", "addr", "port", "addr", "port", "enum", "count", "interval", "string",
                               "count", "string", "count", "string", "count", "string", "bool", "bool", "bool", "bool",
                               "count", "vector[string]", "vector[interval]", "bool", "count", "string"]

    private let lock = NSLock()
    private var pending: [UInt8] = []
    private let write: @Sendable (UnsafeRawBufferPointer) -> Void

    /// - Parameter write: where the TSV goes, in pieces.
    public init(write: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.write = write
    }

    /// The header lines, with `open` (seconds since 1970) as the `#open` time.
    public static func header(open: Double) -> String {
        "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n"
            + "#open\t\(stamp(open))\n#fields\t\(fields.joined(separator: "\t"))\n#types\t\(types.joined(separator: "\t"))\n"
    }

    /// The closing line.
    public static func footer(close: Double) -> String { "#close\t\(stamp(close))\n" }

    /// Zeek's `%Y-%m-%d-%H-%M-%S`, in UTC.
    static func stamp(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d-%02d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Writes `text` out.
    public func emit(_ text: String) {
        var copy = text
        copy.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Takes the next piece of NDJSON; writes a row for every line it completes.
    public func consume(_ bytes: UnsafeRawBufferPointer) {
        lock.lock()
        defer { lock.unlock() }
        pending.append(contentsOf: bytes)
        guard let lastNewline = pending.lastIndex(of: 0x0A) else { return }
        var out: [UInt8] = []
        out.reserveCapacity(lastNewline + 1)
        var scratch = Scratch()
        pending.withUnsafeBytes { all in
            var start = 0
            while start <= lastNewline {
                var end = start
                while all[end] != 0x0A { end += 1 }
                if end > start { Self.row(UnsafeRawBufferPointer(rebasing: all[start..<end]), into: &out, scratch: &scratch) }
                start = end + 1
            }
        }
        pending.removeSubrange(0...lastNewline)
        out.withUnsafeBytes { write($0) }
    }

    /// Buffers reused from one record to the next.
    struct Scratch {
        var values = [FlatJSONRecord.Token](repeating: .absent, count: ZeekDNSLog.fields.count)
        var elements: [FlatJSONRecord.Token] = []
        var unescaped: [UInt8] = []
    }

    /// The fields' names as bytes, to match keys without making strings.
    static let fieldBytes: [[UInt8]] = fields.map { Array($0.utf8) }
    static let tsColumn = 0, rttColumn = 8, qtypeNameColumn = 13, answersColumn = 21, ttlsColumn = 22

    /// The column of `key`, trying `guess` (the column after the last one) first: records list
    /// their fields in dns.log's order.
    static func column(of key: UnsafeRawBufferPointer, guess: Int) -> Int? {
        if guess < fieldBytes.count, fieldBytes[guess].elementsEqual(key) { return guess }
        return fieldBytes.firstIndex { $0.elementsEqual(key) }
    }

    /// One NDJSON record as a TSV row with its newline, appended to `out` (nothing when it is not a JSON object).
    static func row(_ json: UnsafeRawBufferPointer, into out: inout [UInt8], scratch: inout Scratch) {
        for index in scratch.values.indices { scratch.values[index] = .absent }
        scratch.elements.removeAll(keepingCapacity: true)
        var guess = 0
        var values = scratch.values
        defer { scratch.values = values }
        guard FlatJSONRecord.read(json, elements: &scratch.elements, field: { key, value in
            guard let column = column(of: key, guess: guess) else { return }
            values[column] = value
            guess = column + 1
        }) else { return }
        let answers = values[answersColumn]
        // Zeek sets rtt only once an answer record is seen.
        let answered = answers.kind == .array && answers.end > answers.start
        for column in fields.indices {
            if column > 0 { out.append(0x09) }
            let value = values[column]
            switch value.kind {
            case .absent, .null:
                out.append(0x2D)
            case .bool:
                out.append(value.flag ? 0x54 : 0x46)
            case .number where column == tsColumn || column == rttColumn:
                if column == rttColumn && !answered { out.append(0x2D) } else { sixDecimals(json, value, into: &out) }
            case .number:
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[value.start..<value.end]))
            case .string where column == qtypeNameColumn && isUnknownType(json, value):
                // Zeek names a type it does not know `query-N`; the NDJSON, as tshark does, `TYPEN`.
                out.append(contentsOf: "query-".utf8)
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[value.start + 4..<value.end]))
            case .string:
                string(json, value, inSet: false, into: &out, scratch: &scratch.unescaped)
            case .array where value.start == value.end:
                out.append(contentsOf: "(empty)".utf8)
            case .array:
                for index in value.start..<value.end {
                    if index > value.start { out.append(0x2C) }
                    let element = scratch.elements[index]
                    switch element.kind {
                    case .number where column == ttlsColumn: sixDecimals(json, element, into: &out)
                    case .number: out.append(contentsOf: UnsafeRawBufferPointer(rebasing: json[element.start..<element.end]))
                    case .string: string(json, element, inSet: true, into: &out, scratch: &scratch.unescaped)
                    case .bool: out.append(element.flag ? 0x54 : 0x46)
                    case .absent, .null, .array: out.append(0x2D)
                    }
                }
            }
        }
        out.append(0x0A)
    }

    /// `TYPE` followed by digits only.
    static func isUnknownType(_ json: UnsafeRawBufferPointer, _ token: FlatJSONRecord.Token) -> Bool {
        guard token.end - token.start > 4, !token.escaped,
              json[token.start..<token.start + 4].elementsEqual("TYPE".utf8) else { return false }
        return json[(token.start + 4)..<token.end].allSatisfy { (0x30...0x39).contains($0) }
    }

    /// A string token, unescaped from JSON, escaped for Zeek.
    static func string(_ json: UnsafeRawBufferPointer, _ token: FlatJSONRecord.Token, inSet: Bool,
                       into out: inout [UInt8], scratch: inout [UInt8]) {
        if !token.escaped {
            escape(UnsafeRawBufferPointer(rebasing: json[token.start..<token.end]), inSet: inSet, into: &out)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        FlatJSONRecord.unescape(json, token, into: &scratch)
        scratch.withUnsafeBytes { escape($0, inSet: inSet, into: &out) }
    }

    /// A JSON number with six decimals, as Zeek prints times and intervals (`%.6f`): the literal's
    /// digits, padded, when it has six or fewer decimals; else through a `Double`.
    static func sixDecimals(_ json: UnsafeRawBufferPointer, _ token: FlatJSONRecord.Token, into out: inout [UInt8]) {
        let text = UnsafeRawBufferPointer(rebasing: json[token.start..<token.end])
        let point = text.firstIndex(of: 0x2E)
        let decimals = point.map { text.count - $0 - 1 } ?? 0
        if decimals <= 6, !text.contains(0x65), !text.contains(0x45) {
            out.append(contentsOf: text)
            if point == nil { out.append(0x2E) }
            for _ in decimals..<6 { out.append(0x30) }
            return
        }
        let value = Double(String(decoding: text, as: UTF8.self)) ?? 0
        out.append(contentsOf: String(format: "%.6f", value).utf8)
    }

    /// `value` escaped as a Zeek TSV field (tests and callers with a `String`).
    static func escape(_ value: String, inSet: Bool) -> String {
        var out: [UInt8] = []
        var copy = value
        copy.withUTF8 { escape(UnsafeRawBufferPointer($0), inSet: inSet, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x61 + value - 10 }

    /// Zeek's ASCII escaping: the separator, control and non-ASCII bytes as `\xNN`, a backslash
    /// doubled, a `,` inside a set element as `\x2c`, and a whole value that would read as unset
    /// or empty escaped so that it does not.
    static func escape(_ value: UnsafeRawBufferPointer, inSet: Bool, into out: inout [UInt8]) {
        if value.count == 1 && value[0] == 0x2D { out.append(contentsOf: "\\x2d".utf8); return }
        if value.elementsEqual("(empty)".utf8) { out.append(contentsOf: "\\x28empty)".utf8); return }
        for byte in value {
            switch byte {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x2C where inSet: out.append(contentsOf: "\\x2c".utf8)
            case 0x20...0x7E: out.append(byte)
            default:
                out.append(0x5C)
                out.append(0x78)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
            }
        }
    }
}
