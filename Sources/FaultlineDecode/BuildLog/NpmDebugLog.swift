public import FaultlineCore

/// What `BuildLogDecoder` needs to read an npm debug log
/// (`~/.npm/_logs/2026-11-26T04_03_09_361Z-debug-0.log`) rather than a terminal
/// log: the run's start time, which npm puts in the file name only, and the
/// `http fetch` lines, which become one request event each.
///
/// npm 7–10 write no clock on the lines themselves, so every line is dated at
/// the run's start: absolute, and early by at most the run's duration.
public struct NpmDebugLog: Sendable {
    /// The literal the prefilter must also find: request lines have no rule signature.
    public static let anchors = ["http fetch "]

    /// Seconds since the epoch at which npm started the run, from the file name.
    public var startTime: Double?

    /// Reads the start time from `path`'s last component when it has npm's shape
    /// (`<ISO time with _ for : and .>Z-debug[-N].log`, optionally `.gz`).
    public init(path: String) {
        startTime = Self.startTime(fromPath: path)
    }

    public init(startTime: Double?) {
        self.startTime = startTime
    }

    /// `2026-11-26T04_03_09_361Z-debug-0.log` → 2026-11-26T04:03:09.361Z; nil for other names.
    public static func startTime(fromPath path: String) -> Double? {
        var name = Substring(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        if name.hasSuffix(".gz") { name = name.dropLast(3) }
        guard name.hasSuffix(".log"), let marker = name.firstRange(of: "Z-debug") else { return nil }
        let suffix = name[marker.upperBound...].dropLast(4)
        guard suffix.isEmpty || (suffix.first == "-" && suffix.count > 1 && suffix.dropFirst().allSatisfy({ $0.isNumber })) else { return nil }
        let stamp = Array(name[..<marker.lowerBound].utf8)
        // YYYY-MM-DDTHH_MM_SS_mmm
        guard stamp.count == 23, stamp[13] == 0x5F, stamp[16] == 0x5F, stamp[19] == 0x5F else { return nil }
        var iso = stamp
        iso[13] = 0x3A
        iso[16] = 0x3A
        iso[19] = 0x2E
        iso.append(0x5A)
        guard let parsed = iso.withUnsafeBytes({ Timestamp.parseRFC3339($0) }), parsed.length == iso.count else { return nil }
        return parsed.seconds
    }

    /// The request event of an `http fetch` line, given its text after the
    /// `N http ` prefix: `fetch GET 200 https://registry.npmjs.org/x 28ms (cache miss)`,
    /// `fetch GET https://registry.npmjs.org/x attempt 1 failed with ENOTFOUND`.
    /// Nil when the text is not such a line.
    public static func requestEvent(_ text: String, time: EventTime, location: SourceLocation) -> Event? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 3, words[0] == "fetch", words[1].allSatisfy({ $0.isUppercase }) else { return nil }
        var subjects = Subjects()
        subjects["method"] = String(words[1])
        var next = 2
        if words[next].count == 3, let status = Int(words[next]), (100...599).contains(status) {
            subjects[Subjects.Key.status] = String(words[next])
            next += 1
        }
        guard next < words.count, words[next].hasPrefix("http://") || words[next].hasPrefix("https://") else { return nil }
        let url = String(words[next])
        subjects[Subjects.Key.url] = url
        if let host = host(ofURL: url) { subjects[Subjects.Key.host] = host }
        next += 1
        var failed = false
        if next < words.count, words[next].hasSuffix("ms"), let ms = Int(words[next].dropLast(2)) {
            subjects["duration_ms"] = String(ms)
            next += 1
        }
        if let open = text.lastIndex(of: "("), text.hasSuffix(")") {
            subjects["cache"] = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        }
        if let failedWith = text.firstRange(of: " failed with ") {
            failed = true
            subjects["error"] = String(text[failedWith.upperBound...].prefix(while: { $0 != " " }))
            if let attempt = text.firstRange(of: " attempt "), let n = Int(text[attempt.upperBound...].prefix(while: { $0.isNumber })) {
                subjects["attempt"] = String(n)
            }
        }
        let status = subjects[Subjects.Key.status].flatMap(Int.init) ?? 0
        return Event(time: time, location: location, kind: .httpFetch,
                     severity: failed || status >= 400 ? .warning : .info,
                     text: "http " + text, subjects: subjects)
    }

    /// The host of an `http(s)://user@host:port/path` URL (brackets removed for IPv6).
    static func host(ofURL url: String) -> String? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let authority = url[scheme.upperBound...].prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        let hostPort = authority.split(separator: "@").last ?? authority
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            return String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
        }
        let host = hostPort.split(separator: ":", maxSplits: 1).first.map(String.init)
        return host?.isEmpty == false ? host : nil
    }
}

extension EventKind {
    /// One HTTP request a tool logged (npm's `http fetch GET 200 URL 28ms`):
    /// subjects host, url, method, status, duration_ms, and error when it failed.
    public static let httpFetch = EventKind("http.fetch")
}
