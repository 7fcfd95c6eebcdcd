/// One thread of a dump: its header fields, state, stack (as frame ids into
/// the dump's `FrameTable`), the lock lines under its frames and the ownable
/// synchronizers it holds.
///
/// A dump can hold a million of these, so the storage is packed (120 bytes):
/// numbers that may be absent are kept with a sentinel rather than as
/// optionals (half the bytes), the common state words as one byte each, the
/// fields only virtual threads and JSON dumps have (and rare words) sit in one
/// box that other threads do not allocate, and threads with the same stack share
/// one frame array (`ThreadDumpTextParser` hands each stack to a `StackInterner`).
/// The properties read and write as plain optionals.
public struct JavaThread: Sendable {
    /// The fields of virtual threads, their carriers and JSON dumps: absent on most threads.
    struct Rare: Sendable, Equatable {
        var carriedVirtualThread: Int?
        var mountedFrameStart: Int?
        var carrierID: Int?
        var container: String?
        var osState: String?
        var stateDetail: String?
    }

    /// `Rare` behind one pointer, allocated only for a thread that has one of its fields.
    enum RareBox: Sendable {
        case none
        indirect case some(Rare)

        var value: Rare { if case .some(let rare) = self { rare } else { Rare() } }
    }

    public var name: String
    /// 1-based line of the thread's header in the input.
    public var line: Int
    public var byteOffset: Int
    private var packedJavaID = Int64.min
    private var packedOSThreadID = Int64.min
    private var packedNID = UInt64.max
    private var packedTID = UInt64.max
    private var packedCPU = Double.nan
    private var packedElapsed = Double.nan
    private var packedPriority = Int32.min
    private var packedState = UInt8.max
    private var flags: UInt8 = 0
    private var packedOSState: UInt8 = 0
    private var packedStateDetail: UInt8 = 0
    /// Top of the stack first.
    public var frames: [Int32] = []
    public var locks: [LockAction] = []
    /// `Locked ownable synchronizers:` (`jstack -l`): the j.u.c. locks this thread owns.
    public var ownableSynchronizers: [LockRef] = []
    private var rare = RareBox.none

    public init(name: String, line: Int, byteOffset: Int) {
        self.name = name
        self.line = line
        self.byteOffset = byteOffset
    }

    /// `#12`: the Java thread id (JDK 8+; the `tid` of JSON dumps).
    public var javaID: Int? {
        get { packedJavaID == .min ? nil : Int(packedJavaID) }
        set { packedJavaID = newValue.map { Int64($0) } ?? .min }
    }
    /// `[30467]` (JDK 19+) or the decimal `nid`: the OS thread id.
    public var osThreadID: Int? {
        get { packedOSThreadID == .min ? nil : Int(packedOSThreadID) }
        set { packedOSThreadID = newValue.map { Int64($0) } ?? .min }
    }
    /// `nid=0x3aed` (hex up to JDK 17, decimal from JDK 19) as a number.
    public var nid: UInt64? {
        get { packedNID == .max ? nil : packedNID }
        set { packedNID = newValue ?? .max }
    }
    /// `tid=0x…`: the address of the JVM's thread structure.
    public var tid: UInt64? {
        get { packedTID == .max ? nil : packedTID }
        set { packedTID = newValue ?? .max }
    }
    public var priority: Int? {
        get { packedPriority == .min ? nil : Int(packedPriority) }
        set { packedPriority = newValue.map { Int32(clamping: $0) } ?? .min }
    }
    public var cpuMilliseconds: Double? {
        get { packedCPU.isNaN ? nil : packedCPU }
        set { packedCPU = newValue ?? .nan }
    }
    public var elapsedSeconds: Double? {
        get { packedElapsed.isNaN ? nil : packedElapsed }
        set { packedElapsed = newValue ?? .nan }
    }
    /// `java.lang.Thread.State`; nil for VM threads, JDK 5 dumps and carriers.
    public var state: ThreadState? {
        get {
            switch packedState {
            case 0: .new
            case 1: .runnable
            case 2: .blocked
            case 3: .waiting
            case 4: .timedWaiting
            case 5: .terminated
            default: nil
            }
        }
        set {
            switch newValue {
            case .new: packedState = 0
            case .runnable: packedState = 1
            case .blocked: packedState = 2
            case .waiting: packedState = 3
            case .timedWaiting: packedState = 4
            case .terminated: packedState = 5
            case nil: packedState = .max
            }
        }
    }

    /// The header and state-line words nearly every thread has, kept as one byte: index + 1 here, 0 for
    /// none, `UInt8.max` for another word (kept in `Rare`).
    static let commonWords = ["runnable", "waiting on condition", "in Object.wait()", "waiting for monitor entry", "sleeping",
                              "parking", "on object monitor", "in native", "waiting", "blocked"]

    private static func word(_ packed: UInt8) -> String? {
        packed == 0 || packed == .max || Int(packed) > commonWords.count ? nil : commonWords[Int(packed) - 1]
    }

    private static func pack(_ word: String?) -> UInt8 {
        guard let word else { return 0 }
        return commonWords.firstIndex(of: word).map { UInt8($0 + 1) } ?? .max
    }

    /// The header's OS-state words: `runnable`, `waiting on condition`, `in Object.wait()`…
    public var osState: String? {
        get { word(packedOSState, \.osState) }
        set { setWord(newValue, \.packedOSState, \.osState) }
    }
    /// What follows the state word: `on object monitor`, `parking`, `sleeping`.
    public var stateDetail: String? {
        get { word(packedStateDetail, \.stateDetail) }
        set { setWord(newValue, \.packedStateDetail, \.stateDetail) }
    }

    private func word(_ packed: UInt8, _ rareWord: KeyPath<Rare, String?>) -> String? {
        packed == .max ? rare.value[keyPath: rareWord] : Self.word(packed)
    }

    private mutating func setWord(_ word: String?, _ packed: WritableKeyPath<JavaThread, UInt8>, _ rareWord: WritableKeyPath<Rare, String?>) {
        let value = Self.pack(word)
        self[keyPath: packed] = value
        if value == .max || rare.value[keyPath: rareWord] != nil { updateRare { $0[keyPath: rareWord] = value == .max ? word : nil } }
    }

    private func flag(_ bit: UInt8) -> Bool { flags & bit != 0 }
    private mutating func set(_ bit: UInt8, _ on: Bool) { flags = on ? flags | bit : flags & ~bit }

    public var isDaemon: Bool {
        get { flag(1) }
        set { set(1, newValue) }
    }
    /// Whether `Locked ownable synchronizers:` was printed at all (it is, with `- None`, under `-l`).
    public var listsOwnableSynchronizers: Bool {
        get { flag(2) }
        set { set(2, newValue) }
    }
    /// A virtual thread (JSON and `Thread.dump_to_file` text).
    public var isVirtual: Bool {
        get { flag(4) }
        set { set(4, newValue) }
    }

    private mutating func updateRare(_ change: (inout Rare) -> Void) {
        var value = rare.value
        change(&value)
        rare = value == Rare() ? .none : .some(value)
    }

    /// `Carrying virtual thread #N`: this platform thread is a carrier running virtual thread N.
    public var carriedVirtualThread: Int? {
        get { rare.value.carriedVirtualThread }
        set { updateRare { $0.carriedVirtualThread = newValue } }
    }
    /// `Mounted virtual thread #N` (JDK 23+): frames from this index on belong to the virtual thread.
    public var mountedFrameStart: Int? {
        get { rare.value.mountedFrameStart }
        set { updateRare { $0.mountedFrameStart = newValue } }
    }
    /// JSON: the tid of the carrier a virtual thread is mounted on.
    public var carrierID: Int? {
        get { rare.value.carrierID }
        set { updateRare { $0.carrierID = newValue } }
    }
    /// JSON: the thread container (`<root>`, `ForkJoinPool-1/…`, an executor).
    public var container: String? {
        get { rare.value.container }
        set { updateRare { $0.container = newValue } }
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
