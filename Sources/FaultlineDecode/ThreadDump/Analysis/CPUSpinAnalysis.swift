/// Busy loops: a thread whose CPU time nearly equals the wall time it ran.
///
/// Across dumps (`cpu=` grew by about the time between them) it is firm: the
/// thread burned a core the whole interval. In one dump, `cpu=` close to
/// `elapsed=` over a long life says the same more weakly (it may have worked
/// hard and be about to finish). Threads without a stack (compiler and GC
/// threads) and threads waiting, sleeping or doing I/O are left out: only a
/// thread that runs Java code can spin.
extension ThreadDumpAnalyzer {
    /// CPU share of wall time from which a thread counts as spinning.
    static let spinShare = 0.9
    /// Shortest life (single dump) or interval (across dumps) worth judging, in seconds.
    static let spinMinimumSeconds = 5.0

    func cpuSpinFindings(_ context: AnalysisContext) -> [JVMFinding] {
        var spinning: [(index: Int, share: Double, seconds: Double, acrossDumps: Bool)] = []
        let threads = context.dump.threads
        for index in threads.indices where context.activities[index].kind == .running {
            // Read in place: copying every thread of a large dump would retain and release its arrays.
            guard threads[index].state == .runnable || threads[index].state == nil, !threads[index].frames.isEmpty else { continue }
            if let growth = context.step?.cpuGrowth[index], let share = growth.share, let seconds = growth.seconds,
               seconds >= Self.spinMinimumSeconds / 5, share >= Self.spinShare {
                spinning.append((index, share, seconds, true))
            } else if let cpu = threads[index].cpuMilliseconds, let elapsed = threads[index].elapsedSeconds, elapsed >= Self.spinMinimumSeconds,
                      cpu / 1000 / elapsed >= Self.spinShare {
                spinning.append((index, cpu / 1000 / elapsed, elapsed, false))
            }
        }
        guard !spinning.isEmpty else { return [] }
        let across = spinning.contains { $0.acrossDumps }
        let ordered = spinning.sorted { $0.acrossDumps != $1.acrossDumps ? $0.acrossDumps : $0.share > $1.share }
        let first = ordered[0]
        let percent = Int((min(first.share, 1) * 100).rounded())
        var summary = "\(spinning.count) thread\(spinning.count == 1 ? "" : "s") busy on the CPU: \"\(context.name(first.index))\" used "
        summary += first.acrossDumps
            ? "\(percent)% of a core over the \(AnalysisContext.seconds(first.seconds)) between dumps"
            : "\(percent)% of a core over its \(AnalysisContext.seconds(first.seconds)) life"
        if let frame = context.frame(context.activities[first.index].applicationFrame ?? context.activities[first.index].frame) {
            summary += ", at \(frame)"
        }
        summary += across ? "" : " (one dump: take another to see whether its CPU time keeps growing)"
        var confidence = across ? 0.86 : 0.6
        if spinning.count >= 2 { confidence += 0.03 }
        var subjects = ["threads": String(spinning.count), "thread": context.name(first.index),
                        "cpu_share": String(percent) + "%"]
        if let frame = context.frame(context.activities[first.index].applicationFrame ?? context.activities[first.index].frame) {
            subjects["frame"] = frame
        }
        return [JVMFinding(cause: JVMFinding.cpuSpin, confidence: confidence, summary: summary,
                           threads: ordered.map(\.index), subjects: subjects)]
    }
}
