/// Escaping for HTML text and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become entities after the text was made visible (`InertText`), so
/// nothing from an input can open a tag, close an attribute or start a script.
public enum HTMLEscaping {
    /// `text` safe as HTML element content or inside a quoted attribute (SVG too).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in InertText.visible(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
