/// What the analyses found in one dump.
public struct DumpAnalysis: Sendable {
    /// Per thread, by index.
    public var activities: [ThreadActivity]
    public var graph: LockGraph
    public var step: SeriesStep?
    public var cycles: [DeadlockCycle] = []
    public var groups: [StackGroup] = []
    public var findings: [JVMFinding] = []

    public init(activities: [ThreadActivity], graph: LockGraph, step: SeriesStep?) {
        self.activities = activities
        self.graph = graph
        self.step = step
    }
}
