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
        pending.withUnsafeBytes { all in
            var start = 0
            while start <= lastNewline {
                var end = start
                while all[end] != 0x0A { end += 1 }
                if end > start { Self.row(UnsafeRawBufferPointer(rebasing: all[start..<end]), into: &out) }
                start = end + 1
            }
        }
        pending.removeSubrange(0...lastNewline)
        out.withUnsafeBytes { write($0) }
    }

    /// Each field's column.
    static let columns: [String: Int] = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1, $0) })

    /// One NDJSON record as a TSV row with its newline, appended to `out` (nothing when it is not a JSON object).
    static func row(_ json: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var values = [FlatJSONRecord.Value?](repeating: nil, count: fields.count)
        guard FlatJSONRecord.read(json, field: { key, value in
            if let column = columns[key] { values[column] = value }
        }) else { return }
        var answered = false
        if case .array(let answers)? = values[columns["answers"] ?? 0] { answered = !answers.isEmpty }
        for (column, field) in fields.enumerated() {
            if column > 0 { out.append(0x09) }
            guard let value = values[column] else {
                out.append(0x2D)
                continue
            }
            switch (field, value) {
            case ("rtt", _) where !answered:
                out.append(0x2D)  // Zeek sets rtt only once an answer record is seen.
            case ("ts", .number(let text)), ("rtt", .number(let text)):
                sixDecimals(text, into: &out)
            case ("answers", .array(let list)), ("TTLs", .array(let list)):
                if list.isEmpty {
                    out.append(contentsOf: "(empty)".utf8)
                    continue
                }
                for (index, element) in list.enumerated() {
                    if index > 0 { out.append(0x2C) }
                    switch element {
                    case .number(let text) where field == "TTLs": sixDecimals(text, into: &out)
                    default: scalar(element, inSet: true, into: &out)
                    }
                }
            case ("qtype_name", .string(let name)) where name.starts(with: "TYPE".utf8) && name.count > 4
                    && name.dropFirst(4).allSatisfy({ (0x30...0x39).contains($0) }):
                // Zeek names a type it does not know `query-N`; the NDJSON, as tshark does, `TYPEN`.
                out.append(contentsOf: "query-".utf8)
                out.append(contentsOf: name.dropFirst(4))
            default:
                scalar(value, inSet: false, into: &out)
            }
        }
        out.append(0x0A)
    }

    /// A scalar in Zeek's ASCII: `T`/`F`, a number as written, an escaped string, `-` for null.
    static func scalar(_ value: FlatJSONRecord.Value, inSet: Bool, into out: inout [UInt8]) {
        switch value {
        case .bool(let flag): out.append(flag ? 0x54 : 0x46)
        case .number(let text): out.append(contentsOf: text)
        case .string(let bytes): escape(bytes, inSet: inSet, into: &out)
        case .null, .array: out.append(0x2D)
        }
    }

    /// A JSON number with six decimals, as Zeek prints times and intervals (`%.6f`): the literal's
    /// digits, padded, when it has six or fewer decimals; else through a `Double`.
    static func sixDecimals(_ text: [UInt8], into out: inout [UInt8]) {
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
        escape(Array(value.utf8), inSet: inSet, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Zeek's ASCII escaping: the separator, control and non-ASCII bytes as `\xNN`, a backslash
    /// doubled, a `,` inside a set element as `\x2c`, and a whole value that would read as unset
    /// or empty escaped so that it does not.
    static func escape(_ value: [UInt8], inSet: Bool, into out: inout [UInt8]) {
        if value == [0x2D] { out.append(contentsOf: "\\x2d".utf8); return }
        if value.elementsEqual("(empty)".utf8) { out.append(contentsOf: "\\x28empty)".utf8); return }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in value {
            switch byte {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x2C where inSet: out.append(contentsOf: "\\x2c".utf8)
            case 0x20...0x7E: out.append(byte)
            default:
                out.append(contentsOf: [0x5C, 0x78, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
    }
}
