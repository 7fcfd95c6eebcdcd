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
/// complete line is parsed and written as one row. This is slower than the NDJSON itself, which
/// stays the fast path.
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
        var out = ""
        var start = 0
        while start <= lastNewline, let end = pending[start...lastNewline].firstIndex(of: 0x0A) {
            if end > start, let row = Self.row(Data(pending[start..<end])) { out += row }
            start = end + 1
        }
        pending.removeSubrange(0...lastNewline)
        emit(out)
    }

    /// One NDJSON record as a TSV row (with its newline), or nil when it is not a JSON object.
    static func row(_ json: Data) -> String? {
        guard let record = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else { return nil }
        let answered = (record["answers"] as? [Any]).map { !$0.isEmpty } ?? false
        return fields.map { field -> String in
            let value = record[field]
            switch field {
            case "ts": return value.flatMap(number).map(decimals) ?? "-"
            case "rtt": return answered ? (value.flatMap(number).map(decimals) ?? "-") : "-"
            case "AA", "TC", "RD", "RA", "rejected":
                guard let value else { return "-" }
                return (value as? Bool) == true ? "T" : "F"
            case "answers": return set(value) { escape(text($0), inSet: true) }
            case "TTLs": return set(value) { number($0).map(decimals) ?? "-" }
            case "qtype_name":
                guard let name = value as? String else { return "-" }
                // Zeek names a type it does not know `query-N`; the NDJSON, as tshark does, `TYPEN`.
                if name.hasPrefix("TYPE"), let code = Int(name.dropFirst(4)) { return "query-\(code)" }
                return escape(name, inSet: false)
            default:
                guard let value else { return "-" }
                return escape(text(value), inSet: false)
            }
        }.joined(separator: "\t") + "\n"
    }

    static func number(_ value: Any) -> Double? {
        if let number = value as? NSNumber { return number.doubleValue }
        return nil
    }

    static func decimals(_ value: Double) -> String { String(format: "%.6f", value) }

    static func text(_ value: Any) -> String {
        if let string = value as? String { return string }
        if let number = value as? NSNumber { return number.stringValue }
        return "\(value)"
    }

    /// A vector: `-` when absent, `(empty)` when empty, else its elements joined by `,`.
    static func set(_ value: Any?, element: (Any) -> String) -> String {
        guard let list = value as? [Any] else { return "-" }
        return list.isEmpty ? "(empty)" : list.map(element).joined(separator: ",")
    }

    /// Zeek's ASCII escaping: the separator, control and non-ASCII bytes as `\xNN`, a backslash
    /// doubled, a `,` inside a set element as `\x2c`, and a whole value that would read as unset
    /// or empty escaped so that it does not.
    static func escape(_ value: String, inSet: Bool) -> String {
        if value == "-" { return "\\x2d" }
        if value == "(empty)" { return "\\x28empty)" }
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case 0x5C: out += "\\\\"
            case 0x2C where inSet: out += "\\x2c"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += String(format: "\\x%02x", Int(byte))
            }
        }
        return out
    }
}
