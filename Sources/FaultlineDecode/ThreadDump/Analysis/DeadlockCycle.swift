/// A set of threads each waiting for a lock the next one holds.
public struct DeadlockCycle: Sendable, Hashable {
    /// Thread indices, in wait-for order (each waits for a lock the next holds; the last for the first's).
    public var threads: [Int]
    /// The lock each thread waits for, in the same order.
    public var locks: [LockRef?]
    /// The JVM printed this cycle under `Found one Java-level deadlock:`.
    public var reportedByJVM: Bool
    /// Found in the lock graph (false for a cycle only the JVM's section shows).
    public var foundInGraph: Bool
    /// Some edge of the cycle is a `java.util.concurrent` lock (ownable synchronizer).
    public var involvesOwnableSynchronizer: Bool
}
