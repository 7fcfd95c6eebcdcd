/// The escaping HTML and XML share: text made visible first (`InertText`), then `&`, `<`, `>`,
/// `"` and `'` as entities, and only the characters the markup allows kept.
enum MarkupEscaping {
    static func escape(_ text: String, apostrophe: String, allowed: (UInt32) -> Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in InertText.visible(text).unicodeScalars where allowed(scalar.value) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += apostrophe
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
