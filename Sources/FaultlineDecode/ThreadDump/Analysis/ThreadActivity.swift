/// What a thread is doing, read from its state and the top of its stack:
/// resolving a name, connecting, reading a socket, sleeping, waiting for a
/// future, a queue or a lock, idle in a pool, or running.
public struct ThreadActivity: Sendable, Hashable {
    /// The activities, most specific first.
    public enum Kind: String, Sendable, Hashable {
        case resolvingName = "resolving a host name"
        case connecting = "connecting a socket"
        case readingSocket = "reading from a socket"
        case sleeping
        case waitingOnFuture = "waiting for a future"
        case waitingOnQueue = "waiting on a queue"
        case waitingOnLock = "waiting for a lock"
        case waiting
        case idle
        case running
        case unknown = "no stack"
    }

    public var kind: Kind
    /// The frame that shows it (an id into the dump's `FrameTable`).
    public var frame: Int32?
    /// The first frame outside the JDK: where the application made the call.
    public var applicationFrame: Int32?
    /// For socket I/O: a client call (true), a server waiting for a request (false), or unknown.
    public var outbound: Bool?
    /// The thread runs a pool's worker loop (`ThreadPoolExecutor.runWorker`, `ForkJoinWorkerThread.run`).
    public var isPoolWorker: Bool
    /// The thread holds at least one monitor in the part of the stack that runs (pinning a carrier).
    public var holdsMonitor: Bool

    /// Whether the thread looks stuck rather than at rest (an idle worker is at rest).
    public var isBusy: Bool { kind != .idle && kind != .unknown }

    /// Reads what `thread` is doing.
    /// - Complexity: O(k) in the frames looked at (at most the top 24), each classified once per table.
    public static func of(_ thread: JavaThread, frames table: FrameTable) -> ThreadActivity {
        var directions: [Int32: FrameKind] = [:]
        return of(thread, frames: table, directions: &directions)
    }

    /// `of(_:frames:)` with a memo of each frame's client/server markers, shared across the threads of a dump.
    static func of(_ thread: JavaThread, frames table: FrameTable, directions: inout [Int32: FrameKind]) -> ThreadActivity {
        let active = thread.activeFrames
        var activity = ThreadActivity(kind: .unknown, frame: nil, applicationFrame: nil, outbound: nil,
                                      isPoolWorker: false, holdsMonitor: false)
        let start = active.startIndex
        for index in active.indices {
            let kind = table.kinds[Int(active[index])]
            if kind.contains(.poolWorker) { activity.isPoolWorker = true }
            if activity.applicationFrame == nil, !kind.contains(.jdk) { activity.applicationFrame = active[index] }
        }
        if let mounted = thread.mountedFrameStart {
            activity.holdsMonitor = thread.locks.contains { $0.kind == .locked && $0.frame >= mounted }
        } else {
            activity.holdsMonitor = !thread.heldMonitors.isEmpty
        }
        guard !active.isEmpty else {
            // A virtual thread that is runnable but not mounted has no stack yet.
            activity.kind = thread.state == .runnable && thread.isVirtual ? .waiting : .unknown
            return activity
        }
        func first(_ kind: FrameKind, within limit: Int) -> Int32? {
            var i = start
            while i < active.endIndex, i - start < limit {
                if !table.kinds[Int(active[i])].isDisjoint(with: kind) { return active[i] }
                i += 1
            }
            return nil
        }
        if let frame = first(.dnsLookup, within: 16) {
            activity.kind = .resolvingName
            activity.frame = frame
        } else if let frame = first(.socketConnect, within: 12) {
            activity.kind = .connecting
            activity.frame = frame
            activity.outbound = true
        } else if let frame = first(.socketRead, within: 8) {
            activity.kind = .readingSocket
            activity.frame = frame
            var direction: FrameKind = []
            for id in active where direction != [.clientSide, .serverSide] {
                if let known = directions[id] {
                    direction.formUnion(known)
                } else {
                    let found = table.direction(id)
                    directions[id] = found
                    direction.formUnion(found)
                }
            }
            activity.outbound = direction.contains(.clientSide) ? true : direction.contains(.serverSide) ? false : nil
        } else if let frame = first(.idle, within: 10) {
            activity.kind = .idle
            activity.frame = frame
        } else if let frame = first(.sleep, within: 3) {
            activity.kind = .sleeping
            activity.frame = frame
        } else if let frame = first(.futureWait, within: 12) {
            activity.kind = .waitingOnFuture
            activity.frame = frame
        } else if let frame = first(.queueWait, within: 8) {
            activity.kind = first(.taskFetch, within: 10) == nil ? .waitingOnQueue : .idle
            activity.frame = frame
        } else if thread.state == .blocked || thread.awaitedLock != nil {
            activity.kind = .waitingOnLock
            activity.frame = active.first
        } else if let frame = first(.lockAcquire, within: 10) {
            activity.kind = .waitingOnLock
            activity.frame = frame
        } else if let frame = first([.objectWait, .park], within: 3) {
            activity.kind = .waiting
            activity.frame = frame
        } else if thread.state == .runnable || thread.state == nil {
            activity.kind = .running
            activity.frame = active.first
        } else {
            activity.kind = .waiting
            activity.frame = active.first
        }
        return activity
    }
}
