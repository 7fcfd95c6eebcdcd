import Foundation
public import FaultlineCore

/// Pulls the common subjects out of an error line when a signature's own
/// pattern did not: the host and nameserver of a DNS lookup, URLs and their
/// hosts, `module@version`, HTTP status, dialled address and file path.
public struct SubjectExtractor: @unchecked Sendable {
    // NSRegularExpression is immutable and thread-safe once built.
    private let rules: [(NSRegularExpression, [String])]

    /// One compiled instance serves every run: its patterns never change.
    public static let shared = SubjectExtractor()

    public init() {
        let table: [(String, [String])] = [
            (#"lookup ([^\s]+) on ([^\s]+):\s"#, [Subjects.Key.host, Subjects.Key.nameserver]),
            (#"(https?://[^\s"'()<>]+[^\s"'()<>.:,;])"#, [Subjects.Key.url]),
            (#"(?:^|[\s(:"])((?:[A-Za-z0-9][A-Za-z0-9\-_]*\.)+[A-Za-z]{2,}(?:/[A-Za-z0-9\-_.~+!%]+)*)@(v[0-9][0-9A-Za-z.\-+]*)"#,
             [Subjects.Key.module, Subjects.Key.version]),
            (#":\s([1-5][0-9]{2}) [A-Z][A-Za-z]+"#, [Subjects.Key.status]),
            (#"dial tcp (\[[0-9A-Fa-f:.]+\]:[0-9]+|[0-9.]+:[0-9]+)"#, [Subjects.Key.address]),
            (#"(?:open|mkdir|write|rename|remove|unlinkat|mkdir -p) (/[^\s:]+)"#, [Subjects.Key.path]),
        ]
        rules = table.compactMap { pattern, keys in
            (try? NSRegularExpression(pattern: pattern)).map { ($0, keys) }
        }
    }

    /// Adds to `subjects` whatever `text` states that `subjects` lacks, then derives
    /// `host` from the URL.
    public func fill(_ subjects: inout Subjects, from text: String) {
        let range = NSRange(text.startIndex..., in: text)
        for (regex, keys) in rules {
            if keys.allSatisfy({ subjects[$0] != nil }) { continue }
            guard let match = regex.firstMatch(in: text, range: range) else { continue }
            for (index, key) in keys.enumerated() where subjects[key] == nil {
                let r = match.range(at: index + 1)
                if r.location != NSNotFound, let swiftRange = Range(r, in: text) { subjects[key] = String(text[swiftRange]) }
            }
        }
        if subjects[Subjects.Key.host] == nil, let url = subjects[Subjects.Key.url], let host = Self.host(ofURL: url) {
            subjects[Subjects.Key.host] = host
        }
    }

    static func host(ofURL url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        let hostPort = authority.split(separator: "@").last.map(String.init) ?? String(authority)
        if hostPort.hasPrefix("[") { return hostPort.split(separator: "]").first.map { String($0.dropFirst()) } }
        return hostPort.split(separator: ":").first.map(String.init)
    }
}
