/// An object a thread locks, waits on or parks on, as a dump names it: an
/// address (`<0x000000076ab62208>`, `<7c0887da8>`) in jstack text, or an
/// identity hash (`<java.lang.Object@5822737e>`) in `Thread.dump_to_file`.
///
/// Two references are the same lock when their address (or identity hash)
/// is; the class name and the way the address was written are for display.
public struct LockRef: Sendable, Hashable, CustomStringConvertible {
    /// The address, or the identity hash for `Class@hash` references.
    public var value: UInt64
    /// The object's class, when the dump says (`java.lang.Object`).
    public var className: String?
    /// Whether `value` is an identity hash (`Thread.dump_to_file`) rather than an address.
    /// (After the class name: the three one-byte fields share one word, 27 bytes in all.)
    public var isIdentityHash: Bool
    /// How many hex digits the dump wrote, and whether with `0x`, to print it back the same way.
    var digits: UInt8
    var prefixed: Bool

    public init(value: UInt64, isIdentityHash: Bool = false, className: String? = nil, digits: Int = 16, prefixed: Bool = true) {
        self.value = value
        self.isIdentityHash = isIdentityHash
        self.className = className
        self.digits = UInt8(clamping: digits)
        self.prefixed = prefixed
    }

    public static func == (a: LockRef, b: LockRef) -> Bool { a.value == b.value && a.isIdentityHash == b.isIdentityHash }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(isIdentityHash)
    }

    /// The address as the dump wrote it: `0x000000076ab62208`, or `java.lang.Object@5822737e`.
    public var address: String {
        let hex = String(value, radix: 16)
        if isIdentityHash { return "\(className ?? "?")@\(hex)" }
        let padded = String(repeating: "0", count: max(0, Int(digits) - hex.count)) + hex
        return prefixed ? "0x" + padded : padded
    }

    /// `0x000000076ab62208 (java.lang.Object)`: the form findings use for the `lock` subject.
    public var description: String {
        if isIdentityHash { return address }
        guard let className else { return address }
        return "\(address) (\(className))"
    }

    /// Whether this is a `java.util.concurrent` lock that has an owner (ReentrantLock,
    /// ReentrantReadWriteLock): parking on it is waiting to acquire a lock, not a condition.
    public var isOwnableSynchronizer: Bool {
        guard let className else { return false }
        return className.hasSuffix("Sync") && !className.contains("ConditionObject")
            && !className.contains("CountDownLatch") && !className.contains("Semaphore")
            && !className.contains("FutureTask")
    }
}
