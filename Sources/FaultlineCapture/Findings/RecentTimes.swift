/// The last 16 times something happened (a name's queries), overwritten in a
/// ring: adding one moves nothing, and whether one fell between two moments
/// is a scan of at most 16.
struct RecentTimes {
    static let capacity = 16
    private var times: [CaptureTime] = []
    private var next = 0

    @inline(__always)
    mutating func add(_ time: CaptureTime) {
        if times.count < Self.capacity {
            times.append(time)
        } else {
            times[next] = time
            next = next == Self.capacity - 1 ? 0 : next + 1
        }
    }

    /// Whether one of the times lies strictly between `start` and `end`.
    @inline(__always)
    func contains(after start: CaptureTime, before end: CaptureTime) -> Bool {
        times.contains { $0 > start && $0 < end }
    }
}
