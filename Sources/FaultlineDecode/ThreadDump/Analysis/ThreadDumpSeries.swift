/// A series of dumps of one JVM taken some seconds apart, fed in order:
/// which threads' stacks did not move since an earlier dump (idle pool
/// workers are at rest, not stuck, and are left out), which threads appeared
/// and which vanished.
///
/// Only the previous dump's per-thread stack hashes are kept, so memory is
/// proportional to one dump however long the series.
public struct ThreadDumpSeries: Sendable {
    private struct Entry: Sendable {
        var hash: UInt64
        var since: Int
        var sinceTime: Double?
        var busy: Bool
        var name: String
        /// `cpu=` (ms) and `elapsed=` (s) of the thread in that dump; NaN when not printed (Float: the
        /// series keeps one entry per thread, and a dump prints these to two decimals).
        var cpu: Float
        var elapsed: Float
    }

    private var previous: [ThreadIdentity: Entry] = [:]
    /// Dumps added so far.
    public private(set) var count = 0
    public private(set) var firstTime: Double?
    public private(set) var lastTime: Double?
    /// Threads whose stack has not moved since the first dump, after the latest dump.
    public private(set) var unmovedSinceFirst: [String] = []
    /// Appeared and vanished threads summed over every step.
    public private(set) var totalAppeared = 0
    public private(set) var totalVanished = 0
    /// Most names kept per list.
    public var nameLimit = 50

    public init() {}

    /// A thread's stack and state as one number: equal when nothing moved.
    public static func stackHash(_ thread: JavaThread, frames: FrameTable) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(thread.state.map { $0.rank + 1 } ?? 0)
        for id in thread.frames {
            h = (h ^ frames.hashes[Int(id)]) &* 0x0000_0100_0000_01B3
            h = h &+ (h >> 29)
        }
        if let lock = thread.awaitedLock { h ^= lock.value &* 31 }
        return h
    }

    /// Adds the next dump of the series and says what moved since the previous one.
    public mutating func add(_ dump: ThreadDump, activities: [ThreadActivity]) -> SeriesStep {
        count += 1
        if firstTime == nil { firstTime = dump.time.seconds }
        let previousTime = lastTime
        lastTime = dump.time.seconds
        var step = SeriesStep(position: count, unmovedSince: Array(repeating: nil, count: dump.threads.count),
                              unmovedSeconds: Array(repeating: nil, count: dump.threads.count))
        step.previousTime = previousTime
        var next: [ThreadIdentity: Entry] = [:]
        next.reserveCapacity(dump.threads.count)
        var seen = Set<ThreadIdentity>()
        unmovedSinceFirst.removeAll()
        for (index, thread) in dump.threads.enumerated() {
            let identity = thread.identity
            seen.insert(identity)
            let hash = Self.stackHash(thread, frames: dump.frames)
            let busy = index < activities.count ? activities[index].isBusy : true
            var entry = Entry(hash: hash, since: count, sinceTime: dump.time.seconds, busy: busy, name: thread.name,
                              cpu: thread.cpuMilliseconds.map(Float.init) ?? .nan, elapsed: thread.elapsedSeconds.map(Float.init) ?? .nan)
            if let before = previous[identity] {
                if let cpu = thread.cpuMilliseconds, !before.cpu.isNaN, cpu >= Double(before.cpu) {
                    let then = Double(before.cpu)
                    // Wall time between the dumps: the thread's own elapsed= when printed, else the dumps' times.
                    var wall: Double?
                    if let elapsed = thread.elapsedSeconds, !before.elapsed.isNaN, elapsed > Double(before.elapsed) {
                        wall = elapsed - Double(before.elapsed)
                    }
                    if wall == nil, let now = dump.time.seconds, let previousTime, now > previousTime { wall = now - previousTime }
                    step.cpuGrowth[index] = SeriesStep.CPUGrowth(milliseconds: cpu - then, seconds: wall)
                }
                if before.hash == hash, busy, !thread.frames.isEmpty {
                    entry.since = before.since
                    entry.sinceTime = before.sinceTime
                    step.unmovedSince[index] = before.since
                    if let now = dump.time.seconds, let then = before.sinceTime { step.unmovedSeconds[index] = now - then }
                    step.unmovedCount += 1
                    if before.since == 1, unmovedSinceFirst.count < nameLimit { unmovedSinceFirst.append(thread.name) }
                }
            } else if count > 1 {
                step.appearedCount += 1
                if step.appeared.count < nameLimit { step.appeared.append(thread.name) }
            }
            next[identity] = entry
        }
        if count > 1 {
            for (identity, entry) in previous where !seen.contains(identity) {
                step.vanishedCount += 1
                if step.vanished.count < nameLimit { step.vanished.append(entry.name) }
            }
            step.vanished.sort()
        }
        totalAppeared += step.appearedCount
        totalVanished += step.vanishedCount
        previous = next
        return step
    }
}
