/// Host names an application's own log lines name beside a dump
/// (`java.net.UnknownHostException: inventory.internal`, `GET http://inventory.internal:8080/…`,
/// `resolving inventory.internal`) and those in thread names: frames never
/// carry arguments, so these are the only places a dump's reader learns which
/// host a thread stuck in a lookup or a socket read was talking to.
///
/// Bounded: only the most recent hints are kept.
struct HostHints: Sendable {
    /// Where a host name was read.
    struct Hint: Sendable, Hashable {
        var host: String
        var line: Int
        /// `UnknownHostException`, `url`, `keyword`, `thread name`.
        var source: String
        /// A name (not an IP address): something DNS resolves.
        var isName: Bool
    }

    private(set) var recent: [Hint] = []
    let capacity = 16

    /// The literals whose lines may name a host; the decoder's prefilter scans for them.
    /// (Not `host ` or `Host`: frames such as `lookupAllHostAddr` would make every dump line a candidate.)
    static let literals = ["UnknownHostException", "://", "esolving ", "lookup ", "host="]

    mutating func observe(_ line: UnsafeRawBufferPointer, number: Int) {
        if let at = ByteText.find("UnknownHostException: ", in: line) {
            add(token(line, at: at + 22), line: number, source: "UnknownHostException")
        }
        var from = 0
        while let at = ByteText.find("://", in: line, from: from) {
            var start = at + 3
            // Skip user info.
            if let token = token(line, at: start, stopAtAt: false), let atSign = token.firstIndex(of: "@") {
                start += token.utf8.distance(from: token.startIndex, to: atSign) + 1
            }
            add(token(line, at: start), line: number, source: "url")
            from = at + 3
        }
        for (literal, skip) in [("esolving ", 9), ("lookup ", 7), ("host=", 5), ("Host: ", 6), ("host ", 5)] as [(StaticString, Int)] {
            if let at = ByteText.find(literal, in: line) { add(token(line, at: at + skip), line: number, source: "keyword") }
        }
    }

    private mutating func add(_ host: String?, line: Int, source: String) {
        guard let host, let kind = Self.classify(host) else { return }
        recent.removeAll { $0.host == host && $0.source == source }
        recent.append(Hint(host: host, line: line, source: source, isName: kind))
        if recent.count > capacity { recent.removeFirst(recent.count - capacity) }
    }

    /// The host-like token at `at`: up to a space, quote, slash, colon, comma, bracket.
    private func token(_ line: UnsafeRawBufferPointer, at: Int, stopAtAt: Bool = true) -> String? {
        guard at < line.count else { return nil }
        var end = at
        while end < line.count {
            let b = line[end]
            if b == 0x20 || b == 0x22 || b == 0x27 || b == 0x2F || b == 0x3A || b == 0x2C || b == 0x29 || b == 0x28
                || b == 0x5D || b == 0x3E || b == 0x3B || b == 0x3F || b == 0x09 || (stopAtAt && b == 0x40) { break }
            end += 1
        }
        guard end > at, end - at <= 253 else { return nil }
        var text = ByteText.string(ByteText.slice(line, at, end))
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// true: a DNS name; false: an IPv4 address; nil: not a host.
    static func classify(_ host: String) -> Bool? {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }) else {
            return host == "localhost" ? true : nil
        }
        guard host.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F })
        else { return nil }
        if labels.count == 4, labels.allSatisfy({ $0.allSatisfy(\.isNumber) }) { return false }
        guard let last = labels.last, last.count >= 2, last.allSatisfy(\.isLetter) else { return nil }
        return true
    }

    /// A host name inside a thread name (`http-client-api.example.com-3`), not a Java package.
    static func host(inThreadName name: String) -> String? {
        let separators: Set<Character> = [" ", "-", "[", "]", "(", ")", "\"", "'", ",", "/", ":", "@", "#", "="]
        for piece in name.split(whereSeparator: { separators.contains($0) }) {
            let candidate = String(piece).trimmingDots()
            guard candidate.contains("."), classify(candidate) == true else { continue }
            let first = candidate.prefix(while: { $0 != "." }).lowercased()
            if ["com", "org", "net", "java", "javax", "jdk", "sun", "io", "de", "fr", "me", "edu", "gov", "kotlin", "scala"]
                .contains(first) { continue }
            return candidate
        }
        return nil
    }

    /// The best hint for a thread stuck resolving (a name) or talking to (any host), seen at or before `line`.
    func best(forDNS: Bool, before line: Int) -> Hint? {
        let usable = recent.filter { $0.line <= line && (!forDNS || $0.isName) }
        return usable.last { $0.source == "UnknownHostException" } ?? usable.last
    }
}

private extension String {
    func trimmingDots() -> String {
        var s = Substring(self)
        while s.hasPrefix(".") { s = s.dropFirst() }
        while s.hasSuffix(".") { s = s.dropLast() }
        return String(s)
    }
}
