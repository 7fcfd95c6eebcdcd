/// The last 16 times something happened (a name's queries), kept inside the
/// value in a ring: adding one moves nothing and allocates nothing, and whether
/// one fell between two moments is a scan of at most 16 without leaving the
/// tally it belongs to.
struct RecentTimes {
    static let capacity = 16
    private var times: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64,
                        Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    private var count: UInt8 = 0
    private var next: UInt8 = 0

    @inline(__always)
    mutating func add(_ time: CaptureTime) {
        let slot = Int(next)
        withUnsafeMutableBytes(of: &times) { $0.storeBytes(of: time.nanoseconds, toByteOffset: slot * 8, as: Int64.self) }
        next = next == Self.capacity - 1 ? 0 : next + 1
        if count < Self.capacity { count += 1 }
    }

    /// Whether one of the times lies strictly between `start` and `end`.
    @inline(__always)
    func contains(after start: CaptureTime, before end: CaptureTime) -> Bool {
        let count = Int(count)
        return withUnsafeBytes(of: times) { stored in
            for slot in 0..<count {
                let time = stored.load(fromByteOffset: slot * 8, as: Int64.self)
                if time > start.nanoseconds, time < end.nanoseconds { return true }
            }
            return false
        }
    }
}
