/// One thread of a dump: its header fields, state, stack (as frame ids into
/// the dump's `FrameTable`), the lock lines under its frames and the ownable
/// synchronizers it holds.
public struct JavaThread: Sendable {
    public var name: String
    /// 1-based line of the thread's header in the input.
    public var line: Int
    public var byteOffset: Int
    /// `#12`: the Java thread id (JDK 8+; the `tid` of JSON dumps).
    public var javaID: Int?
    /// `[30467]` (JDK 19+) or the decimal `nid`: the OS thread id.
    public var osThreadID: Int?
    /// `nid=0x3aed` (hex up to JDK 17, decimal from JDK 19) as a number.
    public var nid: UInt64?
    /// `tid=0x…`: the address of the JVM's thread structure.
    public var tid: UInt64?
    public var isDaemon = false
    public var priority: Int?
    public var cpuMilliseconds: Double?
    public var elapsedSeconds: Double?
    /// `java.lang.Thread.State`; nil for VM threads, JDK 5 dumps and carriers.
    public var state: ThreadState?
    /// What follows the state word: `on object monitor`, `parking`, `sleeping`.
    public var stateDetail: String?
    /// The header's OS-state words: `runnable`, `waiting on condition`, `in Object.wait()`…
    public var osState: String?
    /// Top of the stack first.
    public var frames: [Int32] = []
    public var locks: [LockAction] = []
    /// `Locked ownable synchronizers:` (`jstack -l`): the j.u.c. locks this thread owns.
    public var ownableSynchronizers: [LockRef] = []
    /// Whether `Locked ownable synchronizers:` was printed at all (it is, with `- None`, under `-l`).
    public var listsOwnableSynchronizers = false
    /// A virtual thread (JSON and `Thread.dump_to_file` text).
    public var isVirtual = false
    /// `Carrying virtual thread #N`: this platform thread is a carrier running virtual thread N.
    public var carriedVirtualThread: Int?
    /// `Mounted virtual thread #N` (JDK 23+): frames from this index on belong to the virtual thread.
    public var mountedFrameStart: Int?
    /// JSON: the tid of the carrier a virtual thread is mounted on.
    public var carrierID: Int?
    /// JSON: the thread container (`<root>`, `ForkJoinPool-1/…`, an executor).
    public var container: String?

    public init(name: String, line: Int, byteOffset: Int) {
        self.name = name
        self.line = line
        self.byteOffset = byteOffset
    }

    /// The frames of what actually runs: the mounted virtual thread's when there is one.
    public var activeFrames: ArraySlice<Int32> {
        if let start = mountedFrameStart, start <= frames.count { return frames[start...] }
        return frames[...]
    }

    /// The lock this thread waits to acquire, if any: a monitor it is BLOCKED on, a
    /// monitor it must re-enter after `wait()`, or a j.u.c. lock it parks on.
    public var awaitedLock: LockRef? {
        for action in locks {
            switch action.kind {
            case .waitingToLock, .waitingToRelock:
                if let lock = action.lock { return lock }
            case .parkingFor:
                if let lock = action.lock, lock.isOwnableSynchronizer { return lock }
            default:
                continue
            }
        }
        return nil
    }

    /// Monitors this thread holds: `- locked X` lines, minus monitors it has released
    /// by waiting on them (`- waiting on X` above `- locked X` is a waiter, not a holder).
    public var heldMonitors: [LockRef] {
        var released: [LockRef] = []
        var held: [LockRef] = []
        for action in locks {
            guard let lock = action.lock else { continue }
            switch action.kind {
            case .waitingOn, .waitingToRelock: released.append(lock)
            case .locked where !released.contains(lock) && !held.contains(lock): held.append(lock)
            default: break
            }
        }
        return held
    }

    /// A key that stays the same for this thread across dumps of one JVM:
    /// the Java id when printed, else the thread structure address, else the name.
    public var identity: ThreadIdentity {
        if let javaID { return ThreadIdentity(kind: 1, value: UInt64(javaID), name: name) }
        if let tid { return ThreadIdentity(kind: 2, value: tid, name: name) }
        var copy = name
        let h = copy.withUTF8 { ByteText.hash(UnsafeRawBufferPointer($0)) }
        return ThreadIdentity(kind: 3, value: h, name: name)
    }
}
