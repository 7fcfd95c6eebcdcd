/// Lock contention: many threads waiting for one monitor (or `ReentrantLock`).
/// The owner's state and frame say why: an owner that sleeps, reads a socket
/// or resolves a name while holding the lock is the cause.
extension ThreadDumpAnalyzer {
    /// - Parameter explained: threads of other findings (a deadlock through a pool) whose locks are theirs to report.
    func contentionFindings(_ context: AnalysisContext, cycles: [DeadlockCycle], explained: Set<Int> = []) -> [JVMFinding] {
        let inCycle = Set(cycles.flatMap(\.threads)).union(explained)
        var findings: [JVMFinding] = []
        /// Owner → the contended locks it holds, made on first need.
        var heldBy: [Int: [LockRef]]?
        for lock in context.graph.contended {
            guard let waiting = context.graph.waiters[lock] else { continue }
            var owner = context.graph.owners[lock]
            // Read holders of a ReentrantReadWriteLock are never listed: infer one from who runs the guarded code.
            let inferred = owner == nil ? Self.inferredHolder(of: lock, waiters: waiting, context) : nil
            if owner == nil { owner = inferred }
            // Waiters of a deadlocked lock are explained by the deadlock.
            if let owner, inCycle.contains(owner) { continue }
            let waiters = waiting.filter { !inCycle.contains($0) }
            guard !waiters.isEmpty else { continue }
            let ownerActivity = owner.map { context.activities[$0].kind }
            // Threads queued behind one name lookup (the JDK serialises lookups of a name) are
            // the DNS finding's, not contention of the application's own.
            if ownerActivity == .resolvingName, waiters.allSatisfy({ context.activities[$0].kind == .resolvingName }) { continue }
            let ownerIsTheCause: Bool
            switch ownerActivity {
            case .sleeping?, .readingSocket?, .connecting?, .resolvingName?, .waitingOnFuture?, .waitingOnQueue?, .waiting?:
                ownerIsTheCause = true
            default:
                ownerIsTheCause = false
            }
            // A blocking chain (A waits for B, who waits for C, who sleeps holding the lock): everyone in the
            // chain waits for C, so the threads behind C's lock count, through the others.
            if ownerIsTheCause, heldBy == nil {
                var held: [Int: [LockRef]] = [:]
                for (lock, owner) in context.graph.owners where context.graph.waiters[lock] != nil { held[owner, default: []].append(lock) }
                heldBy = held
            }
            let behind = ownerIsTheCause ? Self.blockedBehind(waiters, graph: context.graph, heldBy: heldBy ?? [:], excluding: inCycle) : []
            guard waiters.count >= contentionWaiters || (waiters.count >= 2 && ownerIsTheCause)
                || (waiters.count + behind.count >= contentionWaiters) else { continue }
            var confidence = 0.55 + 0.05 * Double(min(waiters.count, 6))
            if ownerIsTheCause { confidence += 0.07 }
            if owner == nil { confidence -= 0.15 }
            var summary = "\(waiters.count) thread\(waiters.count == 1 ? "" : "s") wait\(waiters.count == 1 ? "s" : "") to lock \(lock.description)"
            var subjects = ["threads": String(waiters.count), "thread": context.name(waiters[0]), "lock": lock.description]
            if let owner {
                summary += " held by \"\(context.name(owner))\" (\(context.describe(owner)))"
                subjects["owner"] = context.name(owner)
                if let state = context.dump.threads[owner].state { subjects["owner_state"] = state.rawValue }
                if let frame = context.frame(context.activities[owner].applicationFrame ?? context.activities[owner].frame) {
                    subjects["owner_frame"] = frame
                }
                summary += context.stuckNote(owner)
                if let step = context.step, step.dumpsStuck(owner) > 1 { confidence += 0.05 }
                switch ownerActivity {
                case .sleeping?: summary += ": the owner sleeps while holding the lock"
                case .readingSocket?, .connecting?: summary += ": the owner does network I/O while holding the lock"
                case .resolvingName?: summary += ": the owner resolves a host name while holding the lock"
                case .waitingOnFuture?, .waitingOnQueue?, .waiting?: summary += ": the owner waits for something else while holding the lock"
                case .waitingOnLock?: summary += ": the owner itself waits for another lock"
                default: summary += ": the owner is busy inside the lock"
                }
            } else {
                summary += "; no thread in the dump shows it as held (a dump without -l does not list j.u.c. lock owners)"
            }
            if let inferred {
                summary += " — inferred holder: no thread lists it as held (jstack does not list a read lock's holders), but "
                    + "\"\(context.name(inferred))\" runs inside the code that takes it"
                subjects["owner_inferred"] = "true"
                confidence -= 0.1
            }
            if !behind.isEmpty {
                summary += "; \(behind.count) more thread\(behind.count == 1 ? "" : "s") wait\(behind.count == 1 ? "s" : "") behind the waiters (a blocking chain)"
                subjects["threads"] = String(waiters.count + behind.count)
            }
            findings.append(JVMFinding(cause: JVMFinding.contention, confidence: confidence, summary: summary,
                                       threads: (owner.map { [$0] } ?? []) + waiters + behind, subjects: subjects))
        }
        return findings
    }

    /// Threads waiting, directly or through others, for locks that `waiters` hold.
    static func blockedBehind(_ waiters: [Int], graph: LockGraph, heldBy: [Int: [LockRef]], excluding: Set<Int>) -> [Int] {
        var seen = Set(waiters)
        var queue = waiters
        var behind: [Int] = []
        while let next = queue.popLast() {
            for lock in heldBy[next] ?? [] {
                for waiter in graph.waiters[lock] ?? [] where !excluding.contains(waiter) && seen.insert(waiter).inserted {
                    behind.append(waiter)
                    queue.append(waiter)
                }
            }
        }
        return behind.sorted()
    }

    /// For a `ReentrantReadWriteLock` no thread lists as held: a thread that is not waiting for it but runs
    /// inside the class whose method takes it (the first application frame above the waiters' lock call).
    static func inferredHolder(of lock: LockRef, waiters: [Int], _ context: AnalysisContext) -> Int? {
        guard lock.className?.contains("ReentrantReadWriteLock") == true, let first = waiters.first,
              let caller = context.activities[first].applicationFrame else { return nil }
        let text = context.dump.frames[caller]
        let method = text.prefix { $0 != "(" }
        guard let dot = method.lastIndex(of: ".") else { return nil }
        let owningClass = String(method[..<dot])
        let waiting = Set(waiters)
        for (index, thread) in context.dump.threads.enumerated() where !waiting.contains(index) && context.graph.awaited[index] == nil {
            // The class itself or one of its nested classes (`Cache$1.run`).
            if thread.activeFrames.contains(where: { id in
                let frame = context.dump.frames[id]
                return frame.hasPrefix(owningClass + ".") || frame.hasPrefix(owningClass + "$")
            }) { return index }
        }
        return nil
    }
}
