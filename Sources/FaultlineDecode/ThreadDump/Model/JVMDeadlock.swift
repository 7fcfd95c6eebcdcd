/// One cycle the JVM reported under `Found one Java-level deadlock:`.
public struct JVMDeadlock: Sendable, Hashable {
    /// One thread of the cycle and what it waits for.
    public struct Entry: Sendable, Hashable {
        public var thread: String
        public var lock: LockRef?
        /// `monitor` or `ownable synchronizer`.
        public var lockKind: String
        public var heldBy: String?
        public var line: Int
    }

    public var entries: [Entry] = []
    /// Line of `Found one Java-level deadlock:`.
    public var line: Int

    public var threadNames: Set<String> { Set(entries.map(\.thread)) }
}
