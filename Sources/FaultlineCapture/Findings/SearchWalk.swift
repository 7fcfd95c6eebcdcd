/// Recognises the NXDOMAIN answers a stub resolver collects while it walks its
/// search list on the way to a name that resolved: `vault.monitoring.prod.corp.example`,
/// `vault.prod.corp.example`, `vault.corp.example` (NXDOMAIN each), then `vault`
/// answered. Such answers are how search lists work, not failures.
///
/// A failed name is a try of a walk when a name asked after it (within `window`)
/// resolved, shares its first labels, and ends in a search suffix nested with the
/// try's (`corp.example` inside `prod.corp.example`) or in none (the bare name,
/// tried last with `ndots`). Unrelated names that merely share a first label
/// (`www.a.example`, `www.b.example`) are not nested, so not a walk.
enum SearchWalk {
    /// What the walk needs of one name at one resolver.
    struct Name {
        var name: String
        var firstFrame: Int
        var firstTime: CaptureTime
        var resolved: Bool
    }

    /// How soon after a try the name that answered must have been asked (nanoseconds): a walk takes
    /// milliseconds per try, seconds at most when a try times out.
    static let window: Int64 = 10_000_000_000

    /// For each failed name (`failed(index)`) that is a try of a walk: the name the walk ended at.
    /// At most `limit` resolved names are indexed, eight per shared head: the work stays bounded
    /// on a capture of a whole network.
    static func tries(_ names: [Name], failed: (Int) -> Bool, limit: Int = 4096) -> [Int: String] {
        // Keyed by slices of the names themselves: a head is never joined from its labels.
        var heads: [Substring: [Int]] = [:]
        var indexed = 0
        for (index, name) in names.enumerated() where name.resolved && indexed < limit {
            indexed += 1
            let labels = SearchSuffix.labels(name.name)
            guard labels.count <= 16 else { continue }
            for label in labels {
                let head = name.name[..<label.endIndex]
                if heads[head, default: []].count < 8 { heads[head, default: []].append(index) }
            }
        }
        guard !heads.isEmpty else { return [:] }
        var out: [Int: String] = [:]
        for index in names.indices where failed(index) {
            let tried = names[index]
            let labels = SearchSuffix.labels(tried.name)
            guard labels.count >= 2, labels.count <= 16 else { continue }
            search: for count in 1..<labels.count {
                // A longer head of no resolved name cannot be one either.
                guard let candidates = heads[tried.name[..<labels[count - 1].endIndex]] else { break }
                let triedSuffix = labels[count...]
                for other in candidates where other != index {
                    let answered = names[other]
                    guard answered.firstFrame > tried.firstFrame, answered.firstTime - tried.firstTime <= window else { continue }
                    let answeredSuffix = SearchSuffix.labels(answered.name).dropFirst(count)
                    if answeredSuffix.isEmpty || nested(triedSuffix, answeredSuffix) {
                        out[index] = answered.name
                        break search
                    }
                }
            }
        }
        return out
    }

    /// Whether two different suffixes are one inside the other, label by label.
    static func nested(_ a: ArraySlice<Substring>, _ b: ArraySlice<Substring>) -> Bool {
        guard !a.elementsEqual(b) else { return false }
        return a.count > b.count ? a.suffix(b.count).elementsEqual(b) : b.suffix(a.count).elementsEqual(a)
    }
}
