/// What identifies a thread across dumps of one JVM (see `JavaThread.identity`).
public struct ThreadIdentity: Sendable, Hashable {
    var kind: UInt8
    var value: UInt64
    /// For display; not part of the identity when an id or address is known.
    public var name: String

    public static func == (a: ThreadIdentity, b: ThreadIdentity) -> Bool { a.kind == b.kind && a.value == b.value }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(value)
    }
}
