/// Deadlocks: cycles of the lock graph (monitors and ownable synchronizers),
/// checked against the cycles the JVM printed itself; a cycle only the JVM
/// printed (its detector sees owners a dump without `-l` does not) is kept too.
extension ThreadDumpAnalyzer {
    func deadlockCycles(_ context: AnalysisContext) -> [DeadlockCycle] {
        let dump = context.dump
        var cycles: [DeadlockCycle] = context.graph.cycles().map { members in
            let locks = members.map { context.graph.awaited[$0] }
            return DeadlockCycle(threads: members, locks: locks, reportedByJVM: false, foundInGraph: true,
                                 involvesOwnableSynchronizer: locks.contains { $0?.isOwnableSynchronizer == true })
        }
        // Only the names the JVM's sections mention are looked up: a dictionary of every name would cost
        // tens of megabytes on a million-thread dump.
        let wanted = Set(dump.jvmDeadlocks.flatMap(\.threadNames))
        var firstIndex: [String: Int] = [:]
        if !wanted.isEmpty {
            for (index, thread) in dump.threads.enumerated() where firstIndex[thread.name] == nil && wanted.contains(thread.name) {
                firstIndex[thread.name] = index
            }
        }
        for reported in dump.jvmDeadlocks {
            let names = reported.threadNames
            if let match = cycles.firstIndex(where: { Set($0.threads.map { dump.threads[$0].name }) == names }) {
                cycles[match].reportedByJVM = true
                continue
            }
            // The JVM lists the threads leading into a cycle with it: a cycle of the graph inside its list is the same deadlock.
            if let match = cycles.firstIndex(where: { !$0.reportedByJVM && Set($0.threads.map { dump.threads[$0].name }).isSubset(of: names) }) {
                cycles[match].reportedByJVM = true
                continue
            }
            // Follow the JVM's own order: each entry waits for a lock held by the next.
            let members = reported.entries.compactMap { firstIndex[$0.thread] }
            cycles.append(DeadlockCycle(threads: members, locks: reported.entries.map(\.lock), reportedByJVM: true, foundInGraph: false,
                                        involvesOwnableSynchronizer: reported.entries.contains { $0.lockKind != "monitor" }))
        }
        return cycles
    }

    func deadlockFindings(_ context: AnalysisContext, cycles: [DeadlockCycle]) -> [JVMFinding] {
        cycles.compactMap { cycle -> JVMFinding? in
            guard let first = cycle.threads.first else { return nil }
            var steps: [String] = []
            for (position, member) in cycle.threads.enumerated() {
                let next = cycle.threads[(position + 1) % cycle.threads.count]
                let lock = cycle.locks.indices.contains(position) ? cycle.locks[position] : nil
                steps.append("\"\(context.name(member))\" waits for \(lock?.description ?? "a lock") held by \"\(context.name(next))\"")
            }
            let source: String
            let confidence: Double
            switch (cycle.reportedByJVM, cycle.foundInGraph) {
            case (true, true):
                source = "the JVM reports it too"
                confidence = 0.97
            case (true, false):
                source = "reported by the JVM"
                confidence = 0.95
            default:
                source = "found in the lock graph; the dump has no JVM deadlock section for it"
                confidence = cycle.involvesOwnableSynchronizer ? 0.9 : 0.93
            }
            let names = cycle.threads.map { "\"\(context.name($0))\"" }
            var subjects = [
                "threads": String(cycle.threads.count),
                "thread": context.name(first),
                "cycle": (names + [names[0]]).joined(separator: " → "),
            ]
            if let lock = cycle.locks.first.flatMap({ $0 }) { subjects["lock"] = lock.description }
            let summary = "Deadlock of \(cycle.threads.count) threads: " + steps.joined(separator: "; ") + " (\(source))"
            return JVMFinding(cause: JVMFinding.deadlock, confidence: confidence, summary: summary,
                              threads: cycle.threads, subjects: subjects)
        }
    }
}
