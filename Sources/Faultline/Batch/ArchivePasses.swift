/// Splits an archive's cases into passes so that no pass holds more than
/// `limit` cases open at once. A case is open from its first member to its
/// last in stored order; when the archive keeps each case's members together
/// (the usual `tar` of a folder tree) one pass suffices, and when it
/// interleaves them (every `build.log`, then every capture) the cases are
/// taken in order of their first member, `limit` per pass, each pass reading
/// the archive again and keeping only its own cases' members.
enum ArchivePasses {
    static func split(_ cases: [(rank: Int, case: BatchPlan.Case)], limit: Int) -> [[(rank: Int, case: BatchPlan.Case)]] {
        let limit = max(1, limit)
        guard cases.count > limit else { return [cases] }
        var spans: [(first: Int, last: Int, position: Int)] = []
        for (position, item) in cases.enumerated() {
            guard case .members(_, let indices) = item.case.contents, let first = indices.min(), let last = indices.max() else {
                spans.append((Int.max, Int.max, position))
                continue
            }
            spans.append((first, last, position))
        }
        // The most spans open at once: +1 at a case's first member, −1 after its last.
        var events: [(at: Int, delta: Int)] = []
        for span in spans where span.first != Int.max {
            events.append((span.first, 1))
            events.append((span.last + 1, -1))
        }
        events.sort { ($0.at, $0.delta) < ($1.at, $1.delta) }
        var open = 0
        var most = 0
        for event in events {
            open += event.delta
            most = max(most, open)
        }
        guard most > limit else { return [cases] }
        let ordered = spans.sorted { ($0.first, $0.position) < ($1.first, $1.position) }.map { cases[$0.position] }
        return stride(from: 0, to: ordered.count, by: limit).map { Array(ordered[$0..<min(ordered.count, $0 + limit)]) }
    }
}
