public import FaultlineCore

/// Reads thread dumps from a stream of bytes fed in chunks of any size — the
/// text forms (`jstack`, `jcmd Thread.print`, `kill -3` output inside a log,
/// `Thread.dump_to_file` text) or `Thread.dump_to_file -format=json` — and
/// analyses each dump as soon as it is complete, against the dumps before it.
///
/// This is the engine of the `jstack`/`jstack-json` decoder and of
/// `faultline jstack`. Memory is proportional to one dump: a dump is handed
/// out with its analysis and dropped; the series keeps one hash per thread.
public struct ThreadDumpReader {
    /// The byte-level form of the input.
    public enum Form: Sendable {
        case text
        case json
    }

    /// A dump and what the analyses found in it.
    public struct AnalysedDump: Sendable {
        public var dump: ThreadDump
        public var analysis: DumpAnalysis
    }

    public let form: Form
    public let inputPath: String
    public var analyzer = ThreadDumpAnalyzer()
    /// The series this input's dumps join; set it to continue a series from an earlier input.
    public var series = ThreadDumpSeries()

    private var framer: LineFramer
    private var text: ThreadDumpTextParser
    private var jsonReader = JSONStreamReader()
    private var json: JSONThreadDumpParser
    private var ready: [AnalysedDump] = []
    private var jsonDiagnostics: [Diagnostic] = []

    /// - Parameters:
    ///   - anchors: literals whose application lines (outside the dumps) are worth keeping as log lines.
    ///   - timeZone: the zone of the dumps' local timestamp lines.
    ///   - firstLine, firstOffset: where the first byte fed sits in the input, when the reading
    ///     starts inside it (at a dump found in a longer log).
    public init(form: Form, inputPath: String, timeZone: DumpTimeZone = .utc, anchors: [String] = [],
                maxLineLength: Int = 1 << 20, firstLine: Int = 1, firstOffset: Int = 0) {
        self.form = form
        self.inputPath = inputPath
        framer = LineFramer(maxLineLength: maxLineLength, firstLine: firstLine, firstOffset: firstOffset)
        text = ThreadDumpTextParser(inputPath: inputPath, timeZone: timeZone, anchors: anchors, maxLineLength: maxLineLength)
        json = JSONThreadDumpParser(inputPath: inputPath)
    }

    /// Lines (text) or lines of JSON read so far.
    public var recordsSeen: Int { form == .text ? framer.lines : jsonReader.line }
    public var dumpsRead: Int { form == .text ? text.dumpsSeen : json.dumpsSeen }

    /// Problems met so far: over-long lines, cut dumps, JSON syntax errors.
    public var diagnostics: [Diagnostic] { form == .text ? text.diagnostics : jsonDiagnostics }

    /// Threads read in every dump so far.
    public private(set) var threadsRead = 0

    /// What was expected, when the input ended without a single thread read: nil once one was.
    public var unreadDiagnostic: Diagnostic? {
        guard threadsRead == 0, form == .text else { return nil }
        if dumpsRead == 0 {
            return Diagnostic(code: "jstack.no-dump", message: "no thread could be read: expected a HotSpot dump (a `Full thread dump` "
                + "line, or thread headers such as `\"main\" #1 prio=5 os_prio=0 tid=0x… nid=0x… runnable`), the JVM's "
                + "`Found one Java-level deadlock:` section, a javacore's `3XMTHREADINFO` lines, JRockit's `===== FULL THREAD DUMP`, "
                + "`ThreadInfo` lines (`\"name\" Id=N BLOCKED on …`), VisualVM's `\"name\" - Thread t@N` or `jstack -F`'s "
                + "`Thread N: (state = …)`", input: inputPath, severity: .warning)
        }
        return Diagnostic(code: "jstack.no-threads", message: "the thread dump has a header but no thread could be read from it; "
            + "expected thread headers after it, such as `\"main\" #1 prio=5 os_prio=0 tid=0x… nid=0x… runnable`",
            input: inputPath, severity: .warning)
    }

    /// Chooses the text prefilters' probes from `sample` now, instead of from the first chunk
    /// (as `BuildLogDecoder.plan(sample:)`).
    public mutating func plan(sample: UnsafeRawBufferPointer) {
        text.plan(sample: sample)
    }

    /// Feeds the next chunk.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        switch form {
        case .text:
            text.plan(sample: bytes)
            framer.feed(bytes, into: &text)
            drainText()
        case .json:
            jsonReader.feed(bytes, into: &json)
            checkJSON()
            drainJSON()
        }
    }

    /// End of input: closes the last dump.
    public mutating func finish() {
        switch form {
        case .text:
            framer.finish(into: &text)
            text.finish(endedMidLine: framer.endedMidLine)
            drainText()
        case .json:
            jsonReader.finish(into: &json)
            checkJSON()
            json.finishDump()  // a dump cut short (bad or truncated JSON) keeps the threads read
            drainJSON()
            if json.dumpsSeen == 0, jsonDiagnostics.isEmpty {
                jsonDiagnostics.append(Diagnostic(code: "jstack-json.no-dump",
                    message: "JSON without a \"threadDump\" object: not a Thread.dump_to_file dump",
                    input: inputPath, line: 1, byteOffset: 0, severity: .warning))
            }
        }
    }

    /// Dumps completed since the last call, analysed, in input order.
    public mutating func takeDumps() -> [AnalysedDump] {
        defer { ready.removeAll(keepingCapacity: true) }
        return ready
    }

    /// Application lines (outside or between the dumps) the prefilter kept since the last call.
    mutating func takeApplicationLines() -> [ThreadDumpTextParser.AppLine] {
        defer { text.appLines.removeAll(keepingCapacity: true) }
        return text.appLines
    }

    private mutating func drainText() {
        guard !text.completed.isEmpty else { return }
        let dumps = text.completed
        text.completed.removeAll(keepingCapacity: true)
        for (dump, hints) in dumps { analyse(dump, hints: hints) }
    }

    private mutating func drainJSON() {
        guard !json.completed.isEmpty else { return }
        let dumps = json.completed
        json.completed.removeAll(keepingCapacity: true)
        for dump in dumps { analyse(dump, hints: nil) }
    }

    private mutating func checkJSON() {
        guard let error = jsonReader.error, !jsonDiagnostics.contains(where: { $0.code == "jstack-json.syntax" }) else { return }
        jsonDiagnostics.append(Diagnostic(code: "jstack-json.syntax",
            message: "not valid JSON: \(error.message); the threads read before it are analysed",
            input: inputPath, line: error.line, byteOffset: error.offset, severity: .warning))
    }

    private mutating func analyse(_ dump: ThreadDump, hints: HostHints?) {
        let activities = ThreadDumpAnalyzer.activities(of: dump)
        let step = series.add(dump, activities: activities)
        let analysis = analyzer.analyze(dump, activities: activities, step: step, hints: hints)
        threadsRead += dump.threads.count
        ready.append(AnalysedDump(dump: dump, analysis: analysis))
    }
}
