import FaultlineCore

/// One thread dump as read from an input: where it is, when it was taken,
/// which JVM, its threads and what the JVM itself said about deadlocks.
public struct ThreadDump: Sendable {
    /// How the dump was written.
    public enum Form: String, Sendable {
        /// `jstack`, `jcmd Thread.print`, `kill -3`: the HotSpot text form.
        case jstack
        /// `jcmd Thread.dump_to_file` text form (JDK 21+): `#id "name" [virtual] STATE`.
        case threadDumpText = "thread-dump-text"
        /// `jcmd Thread.dump_to_file -format=json` (JDK 21+).
        case json
        /// An OpenJ9 / IBM javacore (`3XMTHREADINFO` lines).
        case javacore
        /// JRockit (`===== FULL THREAD DUMP`, `"name" id=N idx=0x… tid=N`).
        case jrockit
        /// `java.lang.management.ThreadInfo.toString()`: `"name" Id=N BLOCKED on X owned by "Y" Id=M`.
        case threadInfo = "threadinfo"
        /// VisualVM / NetBeans: `"name" - Thread t@N`.
        case visualVM = "visualvm"
        /// The serviceability agent's `jstack -F`: `Thread 23885: (state = BLOCKED)`.
        case serviceabilityAgent = "jstack-f"
        /// Hazelcast's test runners: `"name" ` alone, then `java.lang.Thread.State: WAITING, on lock=X, owned by Y, id=N, cpu=…`.
        case hazelcast
    }

    /// 1-based position of the dump in its input.
    public var index: Int
    /// Line of the `Full thread dump` header (or of the first thread when there is none).
    public var line: Int
    public var byteOffset: Int
    /// Last line of the dump.
    public var endLine: Int
    public var form: Form
    /// `OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing)`, or the JSON `runtimeVersion`.
    public var jvm: String?
    public var time: DumpTime
    public var threads: [JavaThread] = []
    public var frames: FrameTable
    /// The JVM's own `Found one Java-level deadlock:` sections.
    public var jvmDeadlocks: [JVMDeadlock] = []
    /// `JNI global refs: N` / `JNI global references: N`.
    public var jniReferences: Int?
    /// A `Heap` summary followed the threads (a `kill -3` dump).
    public var hasHeapSummary = false
    /// The `Full thread dump` header was present (not a dump that starts at its first thread).
    public var hasHeader = false
    /// What each line of the dump was prefixed with, when it was (`2026-…Z stdout F `, journald…).
    public var linePrefix: String?
    /// Application lines printed between the dump's own lines (a `kill -3` dump in a busy log).
    public var interleavedLines = 0
    /// Threads made from the JVM's deadlock section alone (a paste of that section without the stacks).
    public var threadsFromDeadlockSection = 0
    /// JSON: the process id.
    public var processID: String?

    public init(index: Int, line: Int, byteOffset: Int, form: Form, time: DumpTime, frames: FrameTable) {
        self.index = index
        self.line = line
        self.byteOffset = byteOffset
        self.endLine = line
        self.form = form
        self.time = time
        self.frames = frames
    }

    /// Threads per state, most telling first; threads without a state line are not counted.
    public var stateCounts: [(state: ThreadState, count: Int)] {
        var counts: [ThreadState: Int] = [:]
        for thread in threads { if let state = thread.state { counts[state, default: 0] += 1 } }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `RUNNABLE 12, BLOCKED 7, …` plus `, no state 10` for VM threads and carriers.
    public var stateSummary: String {
        var parts = stateCounts.map { "\($0.state.rawValue) \($0.count)" }
        let stateless = threads.count - stateCounts.reduce(0) { $0 + $1.count }
        if stateless > 0 { parts.append("no state \(stateless)") }
        return parts.joined(separator: ", ")
    }

    /// The header words of threads without a state line (JDK 5): `runnable 186`, `in Object.wait() 238`.
    public var osStateCounts: [(word: String, count: Int)] {
        var counts: [String: Int] = [:]
        for thread in threads where thread.state == nil { if let word = thread.osState { counts[word, default: 0] += 1 } }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
