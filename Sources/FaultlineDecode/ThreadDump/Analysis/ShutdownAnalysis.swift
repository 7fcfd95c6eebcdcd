/// Shutdown hangs: `main` has returned (the `DestroyJavaVM` thread waits for
/// the JVM to end) but non-daemon threads are still alive, so the JVM never
/// exits — typically an executor that was never shut down, its workers idle
/// in `getTask`.
///
/// Not a finding for a server: a non-daemon thread accepting connections or
/// selecting on sockets is a JVM kept alive on purpose after `main` started
/// it. Threads already part of another finding (a deadlock, a starved pool)
/// are explained there.
extension ThreadDumpAnalyzer {
    /// - Parameter findings: the dump's other findings, whose threads are explained.
    func shutdownFindings(_ context: AnalysisContext, findings: [JVMFinding]) -> [JVMFinding] {
        let threads = context.dump.threads
        guard let destroy = threads.firstIndex(where: { $0.name == "DestroyJavaVM" }) else { return [] }
        let explained = Set(findings.flatMap(\.threads))
        var keeping: [Int] = []
        for (index, thread) in threads.enumerated() where index != destroy && !thread.isDaemon && thread.state != nil
            && !thread.isVirtual && thread.carriedVirtualThread == nil && !thread.frames.isEmpty {
            // A server waiting for connections or requests keeps the JVM alive by design.
            if context.activities[index].outbound == false { return [] }
            for frame in thread.frames where context.dump.frames.direction(frame).contains(.serverSide)
                || context.dump.frames.withBytes(frame, { ByteText.find("accept", in: $0) != nil || ByteText.find("elect", in: $0) != nil }) {
                return []
            }
            keeping.append(index)
        }
        let unexplained = keeping.filter { !explained.contains($0) }
        guard !unexplained.isEmpty, unexplained.count == keeping.count else { return [] }
        let idleWorkers = unexplained.filter { context.activities[$0].isPoolWorker && context.activities[$0].kind == .idle }
        var confidence = idleWorkers.count == unexplained.count ? 0.72 : 0.6
        if let step = context.step, unexplained.allSatisfy({ step.dumpsStuck($0) > 1 }) { confidence += 0.08 }
        let names = unexplained.prefix(3).map { "\"\(context.name($0))\"" }.joined(separator: ", ")
        let one = unexplained.count == 1
        var summary = "main() has returned (DestroyJavaVM waits) but \(unexplained.count) non-daemon thread"
            + "\(one ? " keeps" : "s keep") the JVM from exiting: \(names)\(unexplained.count > 3 ? ", …" : "")"
        if one, idleWorkers.count == 1 {
            summary += ", an idle pool worker waiting for tasks (an executor that was never shut down)"
        } else if !idleWorkers.isEmpty {
            summary += "; \(idleWorkers.count) of them are idle pool workers waiting for tasks (an executor that was never shut down)"
        }
        var subjects = ["threads": String(unexplained.count), "thread": context.name(unexplained[0])]
        if let pool = idleWorkers.first.map({ AnalysisContext.poolName(context.name($0)) }) { subjects["pool"] = pool }
        return [JVMFinding(cause: JVMFinding.shutdownHang, confidence: confidence, summary: summary,
                           threads: unexplained + [destroy], subjects: subjects)]
    }
}
