/// Escaping for Markdown (CommonMark and GitHub's dialect): inline text has
/// ASCII punctuation backslash-escaped (all but `.,/';?%-+=` inside a line,
/// which start nothing there; the dot of `www.` too) and `<`, `>`, `&` as
/// entities, so no raw HTML, link, image, mention, emphasis or table cell can
/// come from an input; code blocks use a fence longer than any backtick run
/// inside, so no line can close them.
public enum MarkdownEscaping {
    /// `text` as inline Markdown that renders as exactly that text.
    public static func inline(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var previous: [UInt32] = []
        for scalar in InertText.visible(text).unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default:
                if scalar.isASCII, isPunctuation(scalar.value) {
                    // Plain punctuation stays readable inside a line; first in the text, or the dot of
                    // `www.` (an autolink), it is escaped too.
                    let plain = ".,/'\";?%-+=".unicodeScalars.contains(scalar)
                    let www = scalar == "." && previous.suffix(3).map { $0 | 0x20 } == [0x77, 0x77, 0x77]
                    if !plain || previous.isEmpty || www { out += "\\" }
                }
                out.unicodeScalars.append(scalar)
            }
            previous.append(scalar.value)
            if previous.count > 8 { previous.removeFirst(4) }
        }
        return out
    }

    /// A fenced code block holding `lines` verbatim (each made visible, so one input line stays one line).
    public static func codeBlock(_ lines: [String], info: String = "text") -> String {
        let visible = lines.map(InertText.visible)
        let fence = String(repeating: "`", count: max(3, visible.map(longestBacktickRun).max().map { $0 + 1 } ?? 3))
        return fence + info + "\n" + visible.joined(separator: "\n") + "\n" + fence + "\n"
    }

    /// The length of the longest run of backticks in `text`.
    public static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0, run = 0
        for byte in text.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    private static func isPunctuation(_ value: UInt32) -> Bool {
        (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
            || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value)
    }
}
