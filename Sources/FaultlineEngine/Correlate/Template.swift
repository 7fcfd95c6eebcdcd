public import FaultlineCore

/// Fills a title, remediation or verify template from subjects.
///
/// `{host}` is replaced by the subject; a missing subject shows as `<host>`.
/// `[[ … ]]` marks an optional part, dropped whole when a subject inside it is
/// missing: `Resolver {nameserver} never answered[[ for {host}]]`.
/// `{nameserver_ip}` is the nameserver without its port.
///
/// `expandFix` and `expandCommand` take only subjects of the shape the
/// placeholder names (`SubjectShape`), treating any other as missing;
/// `expandCommand` also quotes each value for POSIX `sh` where it lands
/// (`ShellQuoting`), so a verify command runs only the program it names.
public enum Template {
    /// How placeholders are filled.
    enum Mode {
        /// Any subject, as it is (titles).
        case text
        /// Only subjects of the right shape (remediation).
        case fix
        /// Only subjects of the right shape, quoted for `sh` (verify commands).
        case command
    }

    public static func expand(_ template: String, subjects: Subjects) -> String {
        expand(template, subjects: subjects, mode: .text)
    }

    /// A remediation: a subject that cannot be what its placeholder names shows as missing.
    public static func expandFix(_ template: String, subjects: Subjects) -> String {
        expand(template, subjects: subjects, mode: .fix)
    }

    /// A command for `sh`: every value quoted, a value of the wrong shape missing.
    public static func expandCommand(_ template: String, subjects: Subjects) -> String {
        expand(template, subjects: subjects, mode: .command)
    }

    static func expand(_ template: String, subjects: Subjects, mode: Mode) -> String {
        var missing = false
        var context = ShellQuoting.Context.bare
        return expand(template[...], subjects: subjects, mode: mode, context: &context, missing: &missing)
    }

    /// Expands `text`, whose optional parts may nest; sets `missing` when a
    /// placeholder outside any optional part has no subject. `context` is the
    /// shell quoting in force, carried across parts.
    static func expand(_ text: Substring, subjects: Subjects, mode: Mode,
                       context: inout ShellQuoting.Context, missing: inout Bool) -> String {
        var out = ""
        var rest = text
        while let open = rest.firstRange(of: "[[") {
            out += fill(rest[..<open.lowerBound], subjects: subjects, mode: mode, context: &context, missing: &missing)
            // Find the matching "]]", counting nested "[[".
            var depth = 1
            var cursor = open.upperBound
            var close: Range<Substring.Index>?
            while cursor < rest.endIndex {
                let tail = rest[cursor...]
                if tail.hasPrefix("[[") {
                    depth += 1
                    cursor = rest.index(cursor, offsetBy: 2)
                } else if tail.hasPrefix("]]") {
                    depth -= 1
                    if depth == 0 {
                        close = cursor..<rest.index(cursor, offsetBy: 2)
                        break
                    }
                    cursor = rest.index(cursor, offsetBy: 2)
                } else {
                    cursor = rest.index(after: cursor)
                }
            }
            guard let close else {
                rest = rest[open.lowerBound...]
                break
            }
            var innerMissing = false
            var innerContext = context
            let part = expand(rest[open.upperBound..<close.lowerBound], subjects: subjects, mode: mode,
                              context: &innerContext, missing: &innerMissing)
            if !innerMissing {
                out += part
                context = innerContext
            }
            rest = rest[close.upperBound...]
        }
        out += fill(rest, subjects: subjects, mode: mode, context: &context, missing: &missing)
        return out
    }

    static func fill(_ text: Substring, subjects: Subjects, mode: Mode,
                     context: inout ShellQuoting.Context, missing: inout Bool) -> String {
        var out = ""
        var rest = text
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            context = ShellQuoting.advance(context, over: rest[..<open])
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let key = String(rest[rest.index(after: open)..<close])
            if let value = lookup(key, in: subjects), mode == .text || shaped(key, value, in: subjects) {
                out += mode == .command ? ShellQuoting.quote(value, in: context) : value
            } else {
                missing = true
                out += "<\(key)>"
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        context = ShellQuoting.advance(context, over: rest)
        return out
    }

    /// Whether `value`, and the subject it was derived from (`nameserver` for
    /// `nameserver_ip`), have the shape `key` wants.
    static func shaped(_ key: String, _ value: String, in subjects: Subjects) -> Bool {
        guard SubjectShape.accepts(value, for: key) else { return false }
        guard subjects[key] == nil, key.hasSuffix("_ip") else { return true }
        let base = String(key.dropLast(3))
        return subjects[base].map { SubjectShape.accepts($0, for: base) } ?? true
    }

    static func lookup(_ key: String, in subjects: Subjects) -> String? {
        if let value = subjects[key] { return value }
        if key.hasSuffix("_ip"), let address = subjects[String(key.dropLast(3))] {
            if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
                return String(address[address.index(after: address.startIndex)..<close])
            }
            let parts = address.split(separator: ":")
            return parts.count == 2 ? String(parts[0]) : address
        }
        return nil
    }
}
