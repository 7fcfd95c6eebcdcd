/// Pool starvation: every worker of a pool is inside a task waiting for a
/// future or a queue — work that only the same, fully busy pool could run —
/// and no worker is left to take it.
extension ThreadDumpAnalyzer {
    func poolStarvationFindings(_ context: AnalysisContext) -> [JVMFinding] {
        var pools: [String: [Int]] = [:]
        var order: [String] = []
        for (index, thread) in context.dump.threads.enumerated() where thread.carriedVirtualThread == nil && !thread.isVirtual {
            let name = AnalysisContext.poolName(thread.name)
            guard name != thread.name else { continue }
            if pools[name] == nil { order.append(name) }
            pools[name, default: []].append(index)
        }
        var findings: [JVMFinding] = []
        for pool in order {
            guard let members = pools[pool] else { continue }
            let activities = members.map { context.activities[$0] }
            guard activities.allSatisfy(\.isPoolWorker),
                  activities.allSatisfy({ $0.kind == .waitingOnFuture || $0.kind == .waitingOnQueue }) else { continue }
            let first = members[0]
            var confidence = members.count >= 2 ? 0.75 : 0.62
            let stuckAcross = members.map { context.step?.dumpsStuck($0) ?? 1 }.min() ?? 1
            if stuckAcross > 1 { confidence += 0.12 }
            let what = activities.allSatisfy { $0.kind == .waitingOnFuture } ? "futures" : "futures or queues"
            var summary = "All \(members.count) worker\(members.count == 1 ? "" : "s") of pool \"\(pool)\" wait for \(what) inside their tasks"
            if let frame = context.frame(context.activities[first].frame) { summary += " (\(frame)" }
            if let app = context.frame(context.activities[first].applicationFrame) { summary += " at \(app)" }
            if context.activities[first].frame != nil { summary += ")" }
            summary += ": no worker is free to run the work they wait for"
            if stuckAcross > 1 { summary += "; unchanged across \(stuckAcross) dumps" }
            findings.append(JVMFinding(cause: JVMFinding.poolStarvation, confidence: confidence, summary: summary, threads: members,
                                       subjects: ["threads": String(members.count), "thread": context.name(first), "pool": pool]))
        }
        return findings
    }
}
