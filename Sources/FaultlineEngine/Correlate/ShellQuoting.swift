/// Quotes a value for POSIX `sh` where a verify command's template puts it.
///
/// A value made only of characters the shell never interprets
/// (`A-Z a-z 0-9 . _ / : @ % + = , -`) is left as it is; any other is quoted
/// for the place it lands: outside quotes it is wrapped in single quotes,
/// inside the template's own single quotes each `'` becomes `'\''`, inside
/// double quotes `$`, `` ` ``, `"` and `\` are escaped. A value so quoted is
/// one word and never runs anything, whatever the log said.
public enum ShellQuoting {
    /// Where in a command line the next character falls.
    public enum Context: Sendable, Equatable {
        case bare, singleQuoted, doubleQuoted
    }

    /// `value` written so that `sh` reads it back unchanged in `context`.
    public static func quote(_ value: String, in context: Context) -> String {
        if !value.isEmpty, value.utf8.allSatisfy(isInert) { return value }
        switch context {
        case .bare:
            return "'" + value.replacing("'", with: "'\\''") + "'"
        case .singleQuoted:
            return value.replacing("'", with: "'\\''")
        case .doubleQuoted:
            var out = ""
            for character in value {
                if character == "$" || character == "`" || character == "\"" || character == "\\" { out.append("\\") }
                out.append(character)
            }
            return out
        }
    }

    /// The context after reading `text` in `context` (quotes and backslashes).
    public static func advance(_ context: Context, over text: Substring) -> Context {
        var context = context
        var escaped = false
        for byte in text.utf8 {
            if escaped { escaped = false; continue }
            switch (context, byte) {
            case (.bare, UInt8(ascii: "'")): context = .singleQuoted
            case (.bare, UInt8(ascii: "\"")): context = .doubleQuoted
            case (.bare, UInt8(ascii: "\\")), (.doubleQuoted, UInt8(ascii: "\\")): escaped = true
            case (.singleQuoted, UInt8(ascii: "'")), (.doubleQuoted, UInt8(ascii: "\"")): context = .bare
            default: break
            }
        }
        return context
    }

    static func isInert(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"),
             UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
