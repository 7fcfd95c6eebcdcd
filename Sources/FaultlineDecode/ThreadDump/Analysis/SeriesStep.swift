/// What one dump of a series shows against the dumps before it.
public struct SeriesStep: Sendable {
    /// 1-based position of the dump in the series.
    public var position: Int
    /// Per thread (by index in the dump): the position since which its stack has not changed.
    public var unmovedSince: [Int?]
    /// Per thread: for how many seconds it has not changed, when the dumps have times.
    public var unmovedSeconds: [Double?]
    public var unmovedCount = 0
    public var appeared: [String] = []
    public var appearedCount = 0
    public var vanished: [String] = []
    public var vanishedCount = 0
    /// Time of the previous dump, when known.
    public var previousTime: Double?
    /// Per thread (by index): CPU time used since the previous dump, when both dumps print `cpu=`.
    public var cpuGrowth: [Int: CPUGrowth] = [:]

    /// CPU time a thread used between two dumps, and the wall time between them when known.
    public struct CPUGrowth: Sendable, Hashable {
        public var milliseconds: Double
        public var seconds: Double?
        /// CPU time over wall time (1 = one core busy all the time), when the wall time is known.
        public var share: Double? { seconds.flatMap { $0 > 0 ? milliseconds / 1000 / $0 : nil } }
    }

    public init(position: Int, unmovedSince: [Int?], unmovedSeconds: [Double?]) {
        self.position = position
        self.unmovedSince = unmovedSince
        self.unmovedSeconds = unmovedSeconds
    }

    /// How many dumps (including this one) a thread has been stuck across.
    public func dumpsStuck(_ index: Int) -> Int {
        guard unmovedSince.indices.contains(index), let since = unmovedSince[index] else { return 1 }
        return position - since + 1
    }
}
