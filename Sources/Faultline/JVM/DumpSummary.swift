public import FaultlineDecode

/// One dump as `faultline jstack` reports it: where and when, states by
/// count, contended locks with owner and waiters, deadlock cycles,
/// identical-stack groups and findings. Plain values: the dump itself is
/// dropped once this is made.
public struct DumpSummary: Sendable {
    /// A lock with threads waiting for it.
    public struct Lock: Sendable {
        public var lock: String
        public var owner: String?
        /// `TIMED_WAITING, sleeping in java.lang.Thread.sleep(…) at …`.
        public var ownerActivity: String?
        public var waiters: Int
        public var waiterNames: [String]
    }

    /// Threads sharing one stack.
    public struct Group: Sendable {
        public var count: Int
        public var state: String?
        public var activity: String
        public var frame: String?
        public var names: [String]
    }

    /// One deadlock cycle.
    public struct Cycle: Sendable {
        /// `"A" → 0x… (java.lang.Object) → "B" → 0x… → "A"`.
        public var text: String
        public var threads: [String]
        public var reportedByJVM: Bool
        public var foundInGraph: Bool
    }

    /// A thread whose stack did not move since an earlier dump.
    public struct Unmoved: Sendable {
        public var thread: String
        /// Dumps (this one included) it has been in the same place for.
        public var dumps: Int
        public var seconds: Double?
        /// CPU time it used since the previous dump (`cpu=`), and that as a share of a core.
        public var cpuMilliseconds: Double?
        public var cpuShare: Double?
        public var activity: String
    }

    /// One finding, with the line of the thread that shows it.
    public struct Finding: Sendable {
        public var cause: String
        public var confidence: Double
        public var summary: String
        public var line: Int?
        public var subjects: [(key: String, value: String)]
    }

    public var path: String
    public var index: Int
    public var line: Int
    public var form: String
    public var jvm: String?
    public var time: Double?
    public var timeExplanation: String
    public var threads: Int
    public var states: [(state: String, count: Int)]
    /// Threads without a state line (VM threads, carriers, JDK 5), by header words.
    public var stateless: [(word: String, count: Int)]
    public var virtualThreads: Int
    public var carriers: Int
    public var heldLocks: Int
    public var locks: [Lock]
    public var cycles: [Cycle]
    /// Deadlock sections the JVM printed.
    public var jvmDeadlocks: Int
    public var groups: [Group]
    public var findings: [Finding]
    public var unmoved: Int?
    public var appeared: [String]
    public var appearedCount: Int
    public var vanished: [String]
    public var vanishedCount: Int
    public var position: Int
    /// Lock owners with their waiters below them.
    public var blockingTree: BlockingTree
    /// Busy threads whose stacks did not move since an earlier dump, longest first.
    public var unmovedThreads: [Unmoved]

    public init(path: String, analysed: ThreadDumpReader.AnalysedDump, nameLimit: Int = 8) {
        let dump = analysed.dump
        let analysis = analysed.analysis
        func name(_ index: Int) -> String { dump.threads[index].name }
        func frame(_ id: Int32?) -> String? { id.map { dump.frames[$0] } }
        func describe(_ index: Int) -> String {
            let thread = dump.threads[index]
            let activity = analysis.activities[index]
            var text = thread.state.map { $0.rawValue + ", " } ?? ""
            text += activity.kind.rawValue
            if let f = frame(activity.frame) { text += " in " + f }
            if let app = activity.applicationFrame, app != activity.frame, let f = frame(app) { text += " at " + f }
            return text
        }
        self.path = path
        index = dump.index
        line = dump.line
        form = dump.form.rawValue
        jvm = dump.jvm
        time = dump.time.seconds
        timeExplanation = dump.time.explanation
        threads = dump.threads.count
        states = dump.stateCounts.map { ($0.state.rawValue, $0.count) }
        var words: [String: Int] = [:]
        for thread in dump.threads where thread.state == nil {
            let word = thread.carriedVirtualThread != nil ? "carrier" : (thread.osState ?? "no state")
            words[word, default: 0] += 1
        }
        stateless = words.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
        virtualThreads = dump.threads.filter(\.isVirtual).count
        carriers = dump.threads.filter { $0.carriedVirtualThread != nil }.count
        heldLocks = analysis.graph.owners.count
        locks = analysis.graph.contended.map { lock in
            let waiting = analysis.graph.waiters[lock] ?? []
            let owner = analysis.graph.owners[lock]
            return Lock(lock: lock.description, owner: owner.map(name), ownerActivity: owner.map(describe),
                        waiters: waiting.count, waiterNames: waiting.prefix(nameLimit).map(name))
        }.sorted { $0.waiters > $1.waiters }
        cycles = analysis.cycles.map { cycle in
            var parts: [String] = []
            for (position, member) in cycle.threads.enumerated() {
                parts.append("\"\(name(member))\"")
                if let lock = cycle.locks.indices.contains(position) ? cycle.locks[position] : nil { parts.append(lock.description) }
            }
            if let first = cycle.threads.first { parts.append("\"\(name(first))\"") }
            return Cycle(text: parts.joined(separator: " → "), threads: cycle.threads.map(name),
                         reportedByJVM: cycle.reportedByJVM, foundInGraph: cycle.foundInGraph)
        }
        jvmDeadlocks = dump.jvmDeadlocks.count
        groups = analysis.groups.map { group in
            Group(count: group.threads.count, state: group.state?.rawValue, activity: group.activity.rawValue,
                  frame: frame(group.applicationFrame ?? group.topFrame), names: group.threads.prefix(nameLimit).map(name))
        }
        findings = analysis.findings.map { finding in
            Finding(cause: finding.cause, confidence: finding.confidence, summary: finding.summary,
                    line: finding.threads.first.map { dump.threads[$0].line },
                    subjects: finding.subjects.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        blockingTree = BlockingTree(graph: analysis.graph, threads: dump.threads, describe: describe)
        var unmovedThreads: [Unmoved] = []
        if let step = analysis.step, step.position > 1 {
            for index in dump.threads.indices where step.unmovedSince[index] != nil {
                let growth = step.cpuGrowth[index]
                unmovedThreads.append(Unmoved(thread: name(index), dumps: step.dumpsStuck(index), seconds: step.unmovedSeconds[index],
                                              cpuMilliseconds: growth?.milliseconds, cpuShare: growth?.share, activity: describe(index)))
            }
        }
        self.unmovedThreads = Array(unmovedThreads.sorted { $0.dumps != $1.dumps ? $0.dumps > $1.dumps : ($0.cpuMilliseconds ?? 0) > ($1.cpuMilliseconds ?? 0) }
            .prefix(nameLimit * 2))
        position = analysis.step?.position ?? 1
        if let step = analysis.step, step.position > 1 {
            unmoved = step.unmovedCount
            appeared = step.appeared.prefix(nameLimit).map { $0 }
            vanished = step.vanished.prefix(nameLimit).map { $0 }
            appearedCount = step.appearedCount
            vanishedCount = step.vanishedCount
        } else {
            unmoved = nil
            appeared = []
            vanished = []
            appearedCount = 0
            vanishedCount = 0
        }
    }
}
