/// A series of dumps of one JVM taken some seconds apart, fed in order:
/// which threads' stacks did not move since an earlier dump (idle pool
/// workers are at rest, not stuck, and are left out), which threads appeared
/// and which vanished.
///
/// Only the previous dump's per-thread stack hashes are kept, so memory is
/// proportional to one dump however long the series.
public struct ThreadDumpSeries: Sendable {
    /// What the series keeps of one thread of the previous dump: 40 bytes and its name's bytes, so a
    /// series of million-thread dumps keeps tens of megabytes, not a dictionary of strings.
    private struct Entry: Sendable {
        /// `ThreadIdentity` as one number (`key(_:)`); `previous` is sorted by it.
        var key: UInt64
        var hash: UInt64
        /// Position of the dump since which the stack has not moved (its time is `times[since - 1]`).
        var since: Int32
        /// `cpu=` (ms) and `elapsed=` (s) of the thread in that dump; NaN when not printed (Float: a dump
        /// prints these to two decimals).
        var cpu: Float
        var elapsed: Float
        /// The name in `names`, for the list of threads that vanished.
        var nameStart: UInt32
        var nameLength: UInt16
        var busy: Bool
    }

    /// The previous dump's threads, sorted by key.
    private var previous: [Entry] = []
    /// Their names, one after another.
    private var names: [UInt8] = []
    /// The time of each dump added, by position.
    private var times: [Double?] = []
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
        times.append(dump.time.seconds)
        if firstTime == nil { firstTime = dump.time.seconds }
        let previousTime = lastTime
        lastTime = dump.time.seconds
        var step = SeriesStep(position: count, unmovedSince: Array(repeating: nil, count: dump.threads.count),
                              unmovedSeconds: Array(repeating: nil, count: dump.threads.count))
        step.previousTime = previousTime
        var next: [Entry] = []
        next.reserveCapacity(dump.threads.count)
        var nextNames: [UInt8] = []
        unmovedSinceFirst.removeAll()
        for (index, thread) in dump.threads.enumerated() {
            let key = Self.key(thread.identity)
            let hash = Self.stackHash(thread, frames: dump.frames)
            let busy = index < activities.count ? activities[index].isBusy : true
            var name = thread.name
            let nameLength = name.withUTF8 { bytes -> Int in
                let kept = min(bytes.count, Int(UInt16.max))
                nextNames.append(contentsOf: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[0..<kept]))
                return kept
            }
            var entry = Entry(key: key, hash: hash, since: Int32(clamping: count),
                              cpu: thread.cpuMilliseconds.map(Float.init) ?? .nan, elapsed: thread.elapsedSeconds.map(Float.init) ?? .nan,
                              nameStart: UInt32(truncatingIfNeeded: nextNames.count - nameLength), nameLength: UInt16(nameLength), busy: busy)
            if let before = Self.find(key, in: previous) {
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
                    step.unmovedSince[index] = Int(before.since)
                    if let now = dump.time.seconds, let then = times[Int(before.since) - 1] { step.unmovedSeconds[index] = now - then }
                    step.unmovedCount += 1
                    if before.since == 1, unmovedSinceFirst.count < nameLimit { unmovedSinceFirst.append(thread.name) }
                }
            } else if count > 1 {
                step.appearedCount += 1
                if step.appeared.count < nameLimit { step.appeared.append(thread.name) }
            }
            next.append(entry)
        }
        // Sorted by key; of two threads with one identity (the same name, no id) the later one counts.
        Self.sortUnique(&next)
        if count > 1 {
            for entry in previous where Self.find(entry.key, in: next) == nil {
                step.vanishedCount += 1
                if step.vanished.count < nameLimit {
                    let start = Int(entry.nameStart)
                    step.vanished.append(String(decoding: names[start..<(start + Int(entry.nameLength))], as: UTF8.self))
                }
            }
            step.vanished.sort()
        }
        totalAppeared += step.appearedCount
        totalVanished += step.vanishedCount
        previous = next
        names = nextNames
        return step
    }

    /// `ThreadIdentity` as one number: its kind and value mixed (equal identities, equal keys).
    private static func key(_ identity: ThreadIdentity) -> UInt64 {
        (identity.value &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(identity.kind)
    }

    /// The entry with `key` in `entries` (sorted by key), by binary search.
    private static func find(_ key: UInt64, in entries: [Entry]) -> Entry? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].key == key ? entries[low] : nil
    }

    /// `out` sorted by key in place, keeping the last of equal keys (names are appended in thread order,
    /// so `nameStart` orders equal keys as the dump did).
    private static func sortUnique(_ out: inout [Entry]) {
        out.sort { $0.key != $1.key ? $0.key < $1.key : $0.nameStart < $1.nameStart }
        var kept = 0
        for index in out.indices {
            if kept > 0, out[kept - 1].key == out[index].key {
                out[kept - 1] = out[index]
            } else {
                out[kept] = out[index]
                kept += 1
            }
        }
        out.removeLast(out.count - kept)
    }
}
