/// Escaping for HTML text and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become entities after the text was made visible (`InertText`), so
/// nothing from an input can open a tag, close an attribute or start a script.
public enum HTMLEscaping {
    /// `text` safe as HTML element content or inside a quoted attribute (SVG too).
    public static func escape(_ text: String) -> String {
        MarkupEscaping.escape(text, apostrophe: "&#39;", allowed: { _ in true })
    }
}
