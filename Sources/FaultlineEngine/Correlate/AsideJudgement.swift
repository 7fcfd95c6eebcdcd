import FaultlineCore

/// Which of a case's hypotheses rest on a capture alone and bear on nothing the
/// logs say, to be told in one `AlsoSeen` note instead of ranked as causes.
///
/// Where logs are in the case, they say whether the build failed and why. A
/// capture-only finding is set aside when the logs show a build that did not fail
/// (a passing test's lookup time-out, another process's lookups: nothing broke),
/// or when the logs prove a failure of their own and the finding is about names
/// and resolvers no log line names (another process walking its search list
/// beside a build that got a 403). A finding about a name a log line names, or a
/// search-list try of it (`proxy.golang.org.corp.example`), or at a resolver a log
/// line names, stays a hypothesis: it may be the log's cause seen from below.
struct AsideJudgement {
    /// Host names (lower-cased) and resolvers the logs and dumps name.
    var toldHosts: Set<String> = []
    var toldNameservers: Set<String> = []
    /// Names and resolvers remembered at most.
    static let limit = 1024

    /// Remembers the host and resolver a log line or a dump names.
    mutating func told(_ subjects: Subjects) {
        if let host = subjects[Subjects.Key.host], toldHosts.count < Self.limit { toldHosts.insert(host.lowercased()) }
        if let proxy = subjects[Subjects.Key.proxy], toldHosts.count < Self.limit { toldHosts.insert(Self.hostPart(proxy)) }
        if let server = subjects[Subjects.Key.nameserver], toldNameservers.count < Self.limit { toldNameservers.insert(server.lowercased()) }
    }

    /// Splits `hypotheses` into those kept and those set aside (strongest first), and why.
    /// `captureOnly` says which rest on captures alone, `fromLogs` which rest on a log or dump.
    func split(_ hypotheses: [Hypothesis], logsFailed: Bool, captureOnly: (Hypothesis) -> Bool,
               fromLogs: (Hypothesis) -> Bool) -> (kept: [Hypothesis], aside: AlsoSeen?) {
        let reason: AlsoSeen.Reason
        if !logsFailed {
            reason = .buildHealthy
        } else if hypotheses.contains(where: { fromLogs($0) && $0.layer != .build }) {
            reason = .unrelated
        } else {
            // The logs failed without saying why: a capture's finding may be the reason.
            return (hypotheses, nil)
        }
        // What the logs' hypotheses name, once the capture has told them their resolver.
        var hosts = toldHosts
        var servers = toldNameservers
        for hypothesis in hypotheses where fromLogs(hypothesis) {
            if let host = hypothesis.subjects[Subjects.Key.host] { hosts.insert(host.lowercased()) }
            if let server = hypothesis.subjects[Subjects.Key.nameserver] { servers.insert(server.lowercased()) }
        }
        var kept: [Hypothesis] = []
        var aside: [Hypothesis] = []
        for hypothesis in hypotheses {
            guard captureOnly(hypothesis) else {
                kept.append(hypothesis)
                continue
            }
            if reason == .unrelated, Self.related(hypothesis.subjects, hosts: hosts, servers: servers) {
                kept.append(hypothesis)
            } else {
                aside.append(hypothesis)
            }
        }
        guard !aside.isEmpty else { return (kept, nil) }
        aside.sort { $0.confidence > $1.confidence }
        for index in aside.indices { aside[index].evidence = Array(aside[index].evidence.prefix(3)) }
        return (kept, AlsoSeen(reason: reason, findings: aside))
    }

    /// Whether a finding is about a name the logs name (or a search-list try of it) or at a resolver they name.
    static func related(_ subjects: Subjects, hosts: Set<String>, servers: Set<String>) -> Bool {
        if let server = subjects[Subjects.Key.nameserver], servers.contains(server.lowercased()) { return true }
        guard let host = subjects[Subjects.Key.host]?.lowercased() else { return false }
        if hosts.contains(host) { return true }
        // `proxy.golang.org.corp.example` is the log's `proxy.golang.org` with a search suffix.
        var labels = host.split(separator: ".")
        while labels.count > 1 {
            labels.removeLast()
            if hosts.contains(labels.joined(separator: ".")) { return true }
        }
        return false
    }

    /// `proxy.corp:3128` → `proxy.corp`; a URL's host.
    static func hostPart(_ value: String) -> String {
        var text = Substring(value.lowercased())
        if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
        if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
        if let at = text.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        if !text.hasPrefix("["), let colon = text.lastIndex(of: ":") { text = text[..<colon] }
        return String(text)
    }
}
