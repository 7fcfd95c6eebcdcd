/// Escaping for GitHub Actions workflow commands (`::error file=…,line=…::message`):
/// `%`, CR and LF are percent-encoded in messages, and `:` and `,` too in
/// property values, so no input can end a property, add one, or put a line
/// of its own at the start of a runner's log line (where commands are read).
public enum WorkflowCommandEscaping {
    /// A message (the part after `::`). Newlines here are the renderer's own; input text is made visible first.
    public static func data(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A property value (`file=`, `title=`), from input text.
    public static func property(_ text: String) -> String {
        var out = ""
        for scalar in data(InertText.visible(text)).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
