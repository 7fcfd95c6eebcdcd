import FaultlineDecode

/// The series of dumps as a whole: how many, over how long, and which threads never moved.
public struct SeriesSummary: Sendable {
    public var dumps = 0
    public var firstTime: Double?
    public var lastTime: Double?
    /// Busy threads whose stack did not change from the first dump to the last.
    public var unmovedThroughout: [String] = []
    public var appeared = 0
    public var vanished = 0
    /// Causes found in any dump, with the number of dumps that showed each.
    public var causes: [(cause: String, dumps: Int)] = []

    public init() {}

    init(_ series: ThreadDumpSeries, dumps: [DumpSummary]) {
        self.dumps = series.count
        firstTime = series.firstTime
        lastTime = series.lastTime
        unmovedThroughout = series.count > 1 ? series.unmovedSinceFirst : []
        appeared = series.totalAppeared
        vanished = series.totalVanished
        var counts: [String: Int] = [:]
        var order: [String] = []
        for dump in dumps {
            for cause in Set(dump.findings.map(\.cause)) {
                if counts[cause] == nil { order.append(cause) }
                counts[cause, default: 0] += 1
            }
        }
        causes = order.sorted().map { ($0, counts[$0] ?? 0) }
    }

    /// Seconds from the first dump to the last, when both have times.
    public var span: Double? {
        guard let firstTime, let lastTime else { return nil }
        return lastTime - firstTime
    }
}
