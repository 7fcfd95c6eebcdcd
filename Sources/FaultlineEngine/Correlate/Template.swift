public import FaultlineCore

/// Fills a title, remediation or verify template from subjects.
///
/// `{host}` is replaced by the subject; a missing subject shows as `<host>`.
/// `[[ … ]]` marks an optional part, dropped whole when a subject inside it is
/// missing: `Resolver {nameserver} never answered[[ for {host}]]`.
/// `{nameserver_ip}` is the nameserver without its port.
public enum Template {
    public static func expand(_ template: String, subjects: Subjects) -> String {
        var missing = false
        return expand(template[...], subjects: subjects, missing: &missing)
    }

    /// Expands `text`, whose optional parts may nest; sets `missing` when a
    /// placeholder outside any optional part has no subject.
    static func expand(_ text: Substring, subjects: Subjects, missing: inout Bool) -> String {
        var out = ""
        var rest = text
        while let open = rest.firstRange(of: "[[") {
            out += fill(rest[..<open.lowerBound], subjects: subjects, missing: &missing)
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
            let part = expand(rest[open.upperBound..<close.lowerBound], subjects: subjects, missing: &innerMissing)
            if !innerMissing { out += part }
            rest = rest[close.upperBound...]
        }
        out += fill(rest, subjects: subjects, missing: &missing)
        return out
    }

    static func fill(_ text: Substring, subjects: Subjects, missing: inout Bool) -> String {
        var out = ""
        var rest = text
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let key = String(rest[rest.index(after: open)..<close])
            if let value = lookup(key, in: subjects) {
                out += value
            } else {
                missing = true
                out += "<\(key)>"
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
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
