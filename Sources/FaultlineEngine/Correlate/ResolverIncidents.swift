import FaultlineCore

/// Several names failing the same way at the same resolver are one incident: a
/// resolver answering SERVFAIL for `git.corp.example`, `artifacts.corp.example` and
/// `proxy.corp.example` is one broken resolver, not three problems. DNS hypotheses
/// of one cause whose `nameserver` is the same are joined into the first (one with
/// log evidence when there is one): its `host` stays the lead name (fixes and
/// confirm commands are about it), `hosts` lists every name, the title names them,
/// and the others' evidence follows the lead's.
enum ResolverIncidents {
    /// Names listed in `hosts` at most; more are counted.
    static let listedNames = 10

    /// `hypotheses` with those of one DNS cause at one resolver joined, in the order of their leads.
    /// `titles` gives each cause's title template; `hasLogEvidence` says which hypotheses rest on a log or dump.
    static func join(_ hypotheses: [Hypothesis], titles: [String: String], maxEvidence: Int,
                     hasLogEvidence: (Hypothesis) -> Bool) -> [Hypothesis] {
        var members: [String: [Int]] = [:]
        for (index, hypothesis) in hypotheses.enumerated() where hypothesis.layer == .networkDNS {
            guard let server = hypothesis.subjects[Subjects.Key.nameserver], hypothesis.subjects[Subjects.Key.host] != nil else { continue }
            members[hypothesis.cause + "|" + server.lowercased(), default: []].append(index)
        }
        var joined: [Int: Hypothesis] = [:]
        var absorbed = Set<Int>()
        for indices in members.values where indices.count > 1 {
            let lead = indices.first { hasLogEvidence(hypotheses[$0]) } ?? indices[0]
            var result = hypotheses[lead]
            var names: [String] = []
            for index in [lead] + indices.filter({ $0 != lead }) {
                guard let name = hypotheses[index].subjects[Subjects.Key.host],
                      !names.contains(where: { $0.lowercased() == name.lowercased() }) else { continue }
                names.append(name)
            }
            for index in indices where index != lead { absorb(hypotheses[index], into: &result) }
            result.evidence = Array(leading(result.evidence, names: names).prefix(maxEvidence))
            if names.count > 1 {
                let shown = names.prefix(listedNames).joined(separator: ", ")
                result.subjects["hosts"] = names.count > listedNames ? "\(shown) (+\(names.count - listedNames) more)" : shown
                if let template = titles[result.cause] {
                    var display = result.subjects
                    display[Subjects.Key.host] = listing(names)
                    result.title = Template.expand(template, subjects: display)
                }
            }
            joined[lead] = result
            absorbed.formUnion(indices.filter { $0 != lead })
        }
        return hypotheses.indices.filter { !absorbed.contains($0) }.map { joined[$0] ?? hypotheses[$0] }
    }

    private static func absorb(_ other: Hypothesis, into result: inout Hypothesis) {
        var seen = Set(result.evidence.map(place))
        for item in other.evidence where seen.insert(place(item)).inserted { result.evidence.append(item) }
        var against = Set(result.against.map(place))
        for item in other.against where against.insert(place(item)).inserted { result.against.append(item) }
        for cause in other.explains where !result.explains.contains(cause) { result.explains.append(cause) }
        result.sources = Array(Set(result.sources + other.sources)).sorted()
        result.confidence = max(result.confidence, other.confidence)
        result.subjects.fill(from: other.subjects)
    }

    /// Evidence with each name's first item before any name's second: every name shows within the cap.
    private static func leading(_ evidence: [Evidence], names: [String]) -> [Evidence] {
        var first: [Evidence] = []
        var rest: [Evidence] = []
        var named = Set<String>()
        for item in evidence {
            let name = names.first { item.text.contains($0) }
            if let name, named.insert(name).inserted { first.append(item) } else { rest.append(item) }
        }
        return first + rest
    }

    private static func place(_ item: Evidence) -> String { "\(item.input)|\(item.line ?? -1)|\(item.frame ?? -1)" }

    /// `a`, `a and b`, `a, b and c`, `a, b, c and 4 more names`.
    static func listing(_ names: [String]) -> String {
        guard names.count > 1, let last = names.last else { return names.first ?? "" }
        if names.count > 3 { return names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more names" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }
}
