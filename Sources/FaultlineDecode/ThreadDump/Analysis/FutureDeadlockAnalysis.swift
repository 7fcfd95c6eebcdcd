/// Deadlocks through a pool: a thread holds a lock and waits for a future (a
/// `Future.get`, `CompletableFuture.join`, a latch, a promise) while every
/// worker of a pool is blocked on that lock — so no worker is left to run the
/// task the thread waits for. No lock cycle shows it; the wait on the future
/// closes it.
///
/// The dump does not say which pool runs the awaited task: that it is the
/// blocked pool is an inference, and the finding says so.
extension ThreadDumpAnalyzer {
    func futureDeadlockFindings(_ context: AnalysisContext, cycles: [DeadlockCycle]) -> [JVMFinding] {
        let inCycle = Set(cycles.flatMap(\.threads))
        // Owners of contended locks that themselves wait for a future or a queue.
        var heldBy: [Int: [LockRef]] = [:]
        for (lock, owner) in context.graph.owners where context.graph.waiters[lock] != nil && !inCycle.contains(owner) {
            let kind = context.activities[owner].kind
            if kind == .waitingOnFuture || kind == .waitingOnQueue { heldBy[owner, default: []].append(lock) }
        }
        var pools: [String: [Int]]?
        var findings: [JVMFinding] = []
        for (waiter, locks) in heldBy.sorted(by: { $0.key < $1.key }) {
            if pools == nil { pools = Self.pools(context) }
            for (pool, members) in (pools ?? [:]).sorted(by: { $0.key < $1.key }) {
                let others = members.filter { $0 != waiter }
                guard !others.isEmpty, others.allSatisfy({ member in
                    context.graph.awaited[member].map { locks.contains($0) } == true
                }) else { continue }
                let lock = context.graph.awaited[others[0]]
                var summary = "\"\(context.name(waiter))\" holds \(lock?.description ?? "a lock") and waits for "
                summary += context.activities[waiter].kind == .waitingOnFuture ? "a future" : "a queue"
                if let frame = context.frame(context.activities[waiter].frame) { summary += " in \(frame)" }
                if let app = context.frame(context.activities[waiter].applicationFrame) { summary += " at \(app)" }
                summary += ", while every worker of pool \"\(pool)\" (\(others.count)) is blocked on that lock: no worker is left to run "
                    + "the task it waits for (inferred: the dump does not say which pool runs that task)"
                summary += context.stuckNote(waiter)
                var subjects = ["threads": String(others.count + 1), "thread": context.name(waiter), "pool": pool,
                                "cycle": "\"\(context.name(waiter))\" → pool \"\(pool)\" → \"\(context.name(waiter))\""]
                if let lock { subjects["lock"] = lock.description }
                var confidence = 0.86
                if let step = context.step, step.dumpsStuck(waiter) > 1 { confidence += 0.06 }
                findings.append(JVMFinding(cause: JVMFinding.deadlock, confidence: confidence, summary: summary,
                                           threads: [waiter] + others, subjects: subjects))
                break
            }
        }
        return findings
    }

    /// Pools by name whose every member runs a pool's worker loop.
    static func pools(_ context: AnalysisContext) -> [String: [Int]] {
        var pools: [String: [Int]] = [:]
        for (index, thread) in context.dump.threads.enumerated() where !thread.isVirtual && thread.carriedVirtualThread == nil {
            let name = AnalysisContext.poolName(thread.name)
            guard name != thread.name else { continue }
            pools[name, default: []].append(index)
        }
        return pools.filter { $0.value.allSatisfy { context.activities[$0].isPoolWorker } }
    }
}
