/// One lock line of a thread's stack (`- locked <…>`, `- waiting to lock <…>`,
/// `- parking to wait for <…>`…), attached to the frame above it.
public struct LockAction: Sendable, Hashable {
    /// What the thread does with the lock.
    public enum Kind: UInt8, Sendable, Hashable {
        /// `- waiting to lock <X>`: BLOCKED entering a monitor another thread holds.
        case waitingToLock
        /// `- waiting on <X>`: inside `Object.wait()`; the monitor is released.
        case waitingOn
        /// `- locked <X>`: holds the monitor (unless it also waits on it, see `JavaThread.holds`).
        case locked
        /// `- parking to wait for <X>`: `LockSupport.park` with X as the blocker.
        case parkingFor
        /// `- waiting to re-lock in wait() <X>` (JDK 9+): woken from `wait()`, re-entering the monitor.
        case waitingToRelock
        /// `- eliminated <…>`: a lock the JIT removed.
        case eliminated
    }

    /// Nil for `<no object reference available>` and eliminated locks.
    public var lock: LockRef?
    public var kind: Kind
    /// Stored in 32 bits beside `kind`, so a lock line costs 32 bytes.
    private var packedFrame: Int32

    /// Index into the thread's frames of the frame this line follows (-1 before any frame).
    public var frame: Int {
        get { Int(packedFrame) }
        set { packedFrame = Int32(clamping: newValue) }
    }

    public init(kind: Kind, lock: LockRef?, frame: Int) {
        self.kind = kind
        self.lock = lock
        packedFrame = Int32(clamping: frame)
    }
}
