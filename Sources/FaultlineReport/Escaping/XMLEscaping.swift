/// Escaping for XML 1.0 text and attribute values (JUnit): `&`, `<`, `>`, `"`
/// and `'` become entities, and characters XML 1.0 forbids never appear
/// (control characters are made visible first; anything left is dropped).
public enum XMLEscaping {
    /// `text` safe as XML character data or inside a quoted attribute.
    public static func escape(_ text: String) -> String {
        MarkupEscaping.escape(text, apostrophe: "&apos;", allowed: isAllowed)
    }

    /// Whether XML 1.0 allows the character (its `Char` production).
    static func isAllowed(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
