/// Text from an input made visible and harmless before any format's own
/// escaping: control characters (C0, DEL, C1), line and paragraph
/// separators, non-characters and bidirectional overrides become visible
/// `\u{…}` escapes, so a log line can neither add a line to a report nor
/// reorder what a reader sees.
public enum InertText {
    /// `text` with every invisible or line-breaking scalar shown as `\u{…}`; a tab becomes a space.
    public static func visible(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                out += " "
            } else if isInvisible(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` for a terminal line by line: like `visible`, but newlines and tabs stay
    /// (a message of several lines, such as usage help, that echoes what a user typed).
    public static func visibleKeepingLines(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar != "\n", scalar != "\t", isInvisible(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// At most `limit` characters of `text`, ending in `…` when cut.
    public static func clipped(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// Control characters, separators, non-characters and direction overrides.
    public static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0..<0x20, 0x7F, 0x80...0x9F: true
        case 0x2028, 0x2029, 0xFFFE, 0xFFFF, 0xFEFF: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
