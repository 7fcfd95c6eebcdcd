/// Runs every analysis over one dump — deadlocks from the lock graph (and,
/// where the dump does not name j.u.c. lock owners, inferred ones),
/// contention, pool starvation, threads stuck in name resolution or socket
/// I/O, virtual-thread carrier starvation, busy loops, shutdown hangs — and
/// groups identical stacks.
///
/// The analyses need nothing but the dump, what the series says about it
/// and the host names read beside it, so they live with the decoder: each
/// dump is analysed as soon as it is read and then dropped.
public struct ThreadDumpAnalyzer: Sendable {
    /// Waiters on one monitor that make contention a finding whatever the owner does.
    public var contentionWaiters = 3
    /// Identical-stack groups reported per dump.
    public var groupLimit = 12

    public init() {}

    /// Analyses `dump`; `step` is what the series says about it (nil for a lone dump).
    public func analyze(_ dump: ThreadDump, step: SeriesStep? = nil) -> DumpAnalysis {
        analyze(dump, activities: Self.activities(of: dump), step: step, hints: nil)
    }

    /// The activity of every thread of `dump`, by index.
    public static func activities(of dump: ThreadDump) -> [ThreadActivity] {
        var directions: [Int32: FrameKind] = [:]
        return dump.threads.map { ThreadActivity.of($0, frames: dump.frames, directions: &directions) }
    }

    func analyze(_ dump: ThreadDump, activities: [ThreadActivity], step: SeriesStep?, hints: HostHints?) -> DumpAnalysis {
        let graph = LockGraph(dump)
        let context = AnalysisContext(dump: dump, activities: activities, graph: graph, step: step, hints: hints)
        var analysis = DumpAnalysis(activities: activities, graph: graph, step: step)
        analysis.cycles = deadlockCycles(context)
        analysis.findings += deadlockFindings(context, cycles: analysis.cycles)
        analysis.findings += hiddenOwnerDeadlockFindings(context, cycles: analysis.cycles)
        let throughPools = futureDeadlockFindings(context, cycles: analysis.cycles)
        analysis.findings += throughPools
        analysis.findings += contentionFindings(context, cycles: analysis.cycles, explained: Set(throughPools.flatMap(\.threads)))
        analysis.findings += poolStarvationFindings(context)
        analysis.findings += blockingCallFindings(context)
        analysis.findings += carrierStarvationFindings(context)
        analysis.findings += cpuSpinFindings(context)
        analysis.findings += shutdownFindings(context, findings: analysis.findings)
        analysis.groups = stackGroups(context)
        return analysis
    }

    /// Threads with the same non-empty stack and state, largest groups first.
    ///
    /// Counted first, collected second: a million threads with mostly unique stacks cost one
    /// count each, not one member list each.
    func stackGroups(_ context: AnalysisContext) -> [StackGroup] {
        let threads = context.dump.threads
        var hashes = [UInt64](repeating: 0, count: threads.count)
        var counts: [UInt64: Int32] = [:]
        for (index, thread) in threads.enumerated() where !thread.frames.isEmpty {
            let hash = ThreadDumpSeries.stackHash(thread, frames: context.dump.frames)
            hashes[index] = hash
            counts[hash, default: 0] += 1
        }
        var groups: [UInt64: [Int]] = [:]
        var order: [UInt64] = []
        for (index, thread) in threads.enumerated() where !thread.frames.isEmpty {
            let hash = hashes[index]
            guard let count = counts[hash], count >= 2 else { continue }
            if groups[hash] == nil {
                order.append(hash)
                groups[hash] = []
                groups[hash]?.reserveCapacity(Int(count))
            }
            groups[hash]?.append(index)
        }
        return order.compactMap { hash -> StackGroup? in
            guard let members = groups[hash], members.count >= 2 else { return nil }
            let first = members[0]
            return StackGroup(threads: members, state: threads[first].state,
                              activity: context.activities[first].kind,
                              topFrame: threads[first].activeFrames.first,
                              applicationFrame: context.activities[first].applicationFrame)
        }
        .sorted { $0.threads.count != $1.threads.count ? $0.threads.count > $1.threads.count : $0.threads[0] < $1.threads[0] }
        .prefix(groupLimit).map { $0 }
    }
}
