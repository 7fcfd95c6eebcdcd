/// A small streaming JSON writer that keeps keys in the order written and
/// escapes every string so the output is safe to embed in HTML or a
/// terminal: quotes, backslashes, control characters, `<`, `>`, `&`,
/// U+2028 and U+2029 become escapes.
struct JSONWriter {
    private(set) var output = ""
    private var needsComma: [Bool] = [false]
    /// A key was just written: its value follows on the same line.
    private var afterKey = false
    let pretty: Bool

    init(pretty: Bool) { self.pretty = pretty }

    private mutating func separator() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        if pretty, needsComma.count > 1 { output += "\n" + String(repeating: "  ", count: needsComma.count - 1) }
    }

    mutating func key(_ name: String) {
        separator()
        output += Self.quote(name)
        output += pretty ? ": " : ":"
        afterKey = true
    }

    private mutating func valueStart() {
        separator()
    }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        if pretty, hadItems { output += "\n" + String(repeating: "  ", count: needsComma.count - 1) }
        output += bracket
        needsComma[needsComma.count - 1] = true
    }

    mutating func beginObject() { valueStart(); output += "{"; needsComma.append(false) }
    mutating func endObject() { close("}") }
    mutating func beginArray() { valueStart(); output += "["; needsComma.append(false) }
    mutating func endArray() { close("]") }

    mutating func string(_ value: String) { valueStart(); output += Self.quote(value) }
    mutating func number(_ value: Int) { valueStart(); output += String(value) }
    mutating func number(_ value: Double, decimals: Int) {
        valueStart()
        guard value.isFinite else { output += "null"; return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        output += rounded == rounded.rounded() && decimals == 0 ? String(Int(rounded)) : String(rounded)
    }
    mutating func bool(_ value: Bool) { valueStart(); output += value ? "true" : "false" }
    mutating func null() { valueStart(); output += "null" }

    mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    mutating func field(_ name: String, _ value: Int) { key(name); number(value) }
    mutating func field(_ name: String, _ value: String?) { key(name); if let value { string(value) } else { null() } }
    mutating func field(_ name: String, _ value: Int?) { key(name); if let value { number(value) } else { null() } }
    mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for s in strings { string(s) }
        endArray()
    }

    static func quote(_ text: String) -> String { JSONEscaping.quote(text) }
}

/// JSON string escaping safe to embed in HTML and to print on a terminal:
/// quotes, backslashes, control characters (C0, DEL, C1), `<`, `>`, `&`,
/// U+2028 and U+2029, bidirectional marks, overrides and isolates and U+FEFF
/// become escapes. Every JSON Faultline writes uses it.
public enum JSONEscaping {
    /// `text` as a quoted, escaped JSON string.
    public static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}", "\u{7F}", "\u{200E}", "\u{200F}", "\u{202A}"..."\u{202E}",
                 "\u{2066}"..."\u{2069}", "\u{FEFF}":
                out += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 || (0x80...0x9F).contains(scalar.value) {
                    out += unicodeEscape(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
