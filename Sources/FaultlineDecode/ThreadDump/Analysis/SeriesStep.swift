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
