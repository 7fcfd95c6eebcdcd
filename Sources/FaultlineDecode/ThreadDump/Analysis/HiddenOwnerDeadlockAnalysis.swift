/// A deadlock on j.u.c. locks whose owners the dump does not name.
///
/// `Thread.dump_to_file` (text and JSON, JDK 21–25) says what a thread parks
/// on (`- parking to wait for <ReentrantLock$NonfairSync@…>`, `parkBlocker`)
/// but not who owns it, and `jstack` does not show parked virtual threads at
/// all, so two virtual threads that take two `ReentrantLock`s in opposite
/// orders leave no lock graph to find a cycle in. What such a dump does show:
/// a few threads parked on as many different ownable locks, from one call
/// site, with no thread in the dump seen holding any of them. That is the
/// signature of a lock-ordering deadlock, reported as an inference.
extension ThreadDumpAnalyzer {
    /// Largest group of threads read as one inferred cycle; more is a convoy, not a lock-ordering deadlock.
    static let hiddenOwnerCycleLimit = 8

    func hiddenOwnerDeadlockFindings(_ context: AnalysisContext, cycles: [DeadlockCycle]) -> [JVMFinding] {
        let dump = context.dump
        guard dump.form == .threadDumpText || dump.form == .json,
              !dump.threads.contains(where: \.listsOwnableSynchronizers) else { return [] }
        let inCycles = Set(cycles.flatMap(\.threads))
        // Call site → the threads parked there on an ownable lock nobody is seen holding.
        var bySite: [Int32: [Int]] = [:]
        var order: [Int32] = []
        for (index, lock) in context.graph.awaited where lock.isOwnableSynchronizer && context.graph.owners[lock] == nil {
            guard !inCycles.contains(index), context.activities[index].kind == .waitingOnLock,
                  let site = context.activities[index].applicationFrame else { continue }
            if bySite[site] == nil { order.append(site) }
            bySite[site, default: []].append(index)
        }
        var findings: [JVMFinding] = []
        for site in order.sorted() {
            guard let members = bySite[site]?.sorted(), members.count >= 2, members.count <= Self.hiddenOwnerCycleLimit else { continue }
            let locks = members.compactMap { context.graph.awaited[$0] }
            // Each parks on a lock of its own, and nobody else waits for those locks.
            guard Set(locks).count == members.count,
                  locks.allSatisfy({ context.graph.waiters[$0]?.count == 1 }) else { continue }
            let stuck = members.map { context.step?.dumpsStuck($0) ?? 1 }.min() ?? 1
            var confidence = 0.7
            if stuck > 1 { confidence += 0.12 }
            let names = members.map { "\"\(context.name($0))\"" }
            let kind = members.allSatisfy { dump.threads[$0].isVirtual } ? "virtual threads" : "threads"
            var summary = "Likely deadlock of \(members.count) \(kind): " + names.joined(separator: ", ")
                + " each park on a different lock (" + locks.map(\.description).joined(separator: ", ") + ") at "
                + (context.frame(site) ?? "the same call site")
                + ", and no thread of the dump is seen holding any of them; this form of dump does not name the owners"
                + " of j.u.c. locks, so the cycle is inferred"
            if stuck > 1 { summary += "; unchanged across \(stuck) dumps" }
            findings.append(JVMFinding(cause: JVMFinding.deadlock, confidence: confidence, summary: summary, threads: members,
                                       subjects: ["threads": String(members.count), "thread": context.name(members[0]),
                                                  "cycle": (names + [names[0]]).joined(separator: " → "),
                                                  "lock": locks[0].description, "owners": "inferred"]))
        }
        return findings
    }
}
