/// Escaping for XML 1.0 text and attribute values (JUnit): `&`, `<`, `>`, `"`
/// and `'` become entities, and characters XML 1.0 forbids never appear
/// (control characters are made visible first; anything left is dropped).
public enum XMLEscaping {
    /// `text` safe as XML character data or inside a quoted attribute.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in InertText.visible(text).unicodeScalars where isAllowed(scalar.value) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether XML 1.0 allows the character (its `Char` production).
    static func isAllowed(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
