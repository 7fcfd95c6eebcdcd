public import FaultlineCore

/// The decode stage for JVM thread dumps (formats `jstack` and `jstack-json`):
/// reads every dump of the input with a `ThreadDumpReader` and turns each
/// into events — one `jvm.dump` (time, thread count, states, what moved since
/// the previous dump) and one `jvm.finding` per finding, carrying its cause,
/// layer, confidence and subjects so correlation takes it as it is — plus the
/// application's own log lines around the dumps that the rule packs' anchors
/// flag, as `log.line` events for the signatures to classify.
public struct ThreadDumpDecoder: ByteDecoder {
    public static let dumpKind = EventKind("jvm.dump")
    public static let findingKind = EventKind("jvm.finding")

    public let inputIndex: Int
    private var reader: ThreadDumpReader
    /// The layer of each cause, from the catalogue.
    private let layers: [String: Layer]
    private var recognisedForms: Set<String> = []

    /// - Parameters:
    ///   - layers: the catalogue's layer per cause id (`knowledge.causes.mapValues(\.layer)`).
    ///   - anchors: the rule packs' anchors, to keep application lines beside the dumps.
    ///   - firstLine, firstOffset: where the first byte fed sits in the input (1 and 0, unless a
    ///   `BuildLogDecoder` hands over at a dump it found inside a longer log).
    public init(inputIndex: Int, inputPath: String, form: ThreadDumpReader.Form, layers: [String: Layer],
                anchors: [String] = [], timeZone: DumpTimeZone = .utc, maxLineLength: Int = 1 << 20,
                firstLine: Int = 1, firstOffset: Int = 0) {
        self.inputIndex = inputIndex
        self.layers = layers
        reader = ThreadDumpReader(form: form, inputPath: inputPath, timeZone: timeZone, anchors: anchors,
                                  maxLineLength: maxLineLength, firstLine: firstLine, firstOffset: firstOffset)
    }

    /// Codes of the diagnostics that say no thread of the input could be read.
    public static let unreadCodes: Set<String> = ["jstack.no-dump", "jstack.no-threads", "jstack-json.no-dump"]

    public var diagnostics: [Diagnostic] {
        var all = reader.diagnostics
        if let unread = reader.unreadDiagnostic { all.append(unread) }
        return all
    }

    /// Chooses the prefilters' probes from `sample` now (as `BuildLogDecoder.plan(sample:)`).
    public mutating func plan(sample: UnsafeRawBufferPointer) {
        reader.plan(sample: sample)
    }

    public var recordsSeen: Int { reader.recordsSeen }

    /// The series of dumps read so far: dumps of one JVM in several files of a
    /// case continue one series, so what did not move across files is seen.
    public var carriedState: (any Sendable)? {
        get { reader.series }
        set { if let series = newValue as? ThreadDumpSeries { reader.series = series } }
    }
    public var recognised: [String] { recognisedForms.sorted() }

    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [Event]) {
        reader.feed(bytes)
        emit(into: &events)
    }

    public mutating func finish(into events: inout [Event]) {
        reader.finish()
        emit(into: &events)
    }

    private mutating func emit(into events: inout [Event]) {
        // Application lines and dumps in input order.
        var lines = reader.takeApplicationLines()[...]
        for analysed in reader.takeDumps() {
            while let line = lines.first, line.number < analysed.dump.line {
                events.append(event(for: line))
                lines = lines.dropFirst()
            }
            emit(analysed, into: &events)
        }
        for line in lines { events.append(event(for: line)) }
    }

    private func event(for line: ThreadDumpTextParser.AppLine) -> Event {
        Event(time: line.time.map(EventTime.absolute) ?? .unknown,
              location: SourceLocation(input: inputIndex, line: line.number, byteOffset: line.offset),
              kind: .logLine, text: line.text)
    }

    private mutating func emit(_ analysed: ThreadDumpReader.AnalysedDump, into events: inout [Event]) {
        let dump = analysed.dump
        let analysis = analysed.analysis
        recognisedForms.insert(Self.formName(dump))
        let time = dump.time.seconds.map(EventTime.absolute) ?? .unknown
        var subjects = Subjects()
        subjects["threads"] = String(dump.threads.count)
        subjects["states"] = dump.stateSummary
        subjects["dump"] = String(dump.index)
        subjects["time_source"] = dump.time.explanation
        if let jvm = dump.jvm { subjects["jvm"] = jvm }
        var text = "thread dump \(dump.index): \(dump.threads.count) threads (\(dump.stateSummary)); \(dump.time.explanation)"
        if let step = analysis.step, step.position > 1 {
            subjects["unmoved"] = String(step.unmovedCount)
            text += "; since the previous dump: \(step.unmovedCount) busy threads did not move, \(step.appearedCount) appeared, \(step.vanishedCount) vanished"
        }
        if !analysis.findings.isEmpty {
            text += "; findings: " + analysis.findings.map(\.cause).joined(separator: ", ")
        }
        events.append(Event(time: time, location: SourceLocation(input: inputIndex, line: dump.line, byteOffset: dump.byteOffset),
                            kind: Self.dumpKind, severity: .info, text: text, subjects: subjects))
        for finding in analysis.findings {
            let anchor = finding.threads.first.map { dump.threads[$0] }
            let findingSubjects = Subjects(finding.subjects)
            events.append(Event(
                time: time,
                location: SourceLocation(input: inputIndex, line: anchor?.line ?? dump.line, byteOffset: anchor?.byteOffset ?? dump.byteOffset),
                kind: Self.findingKind, severity: .error, text: finding.summary, subjects: findingSubjects,
                cause: finding.cause, layer: layers[finding.cause] ?? .jvm,
                confidence: finding.confidence))
        }
    }

    static func formName(_ dump: ThreadDump) -> String {
        switch dump.form {
        case .json: return "thread-dump-json"
        case .threadDumpText: return "thread-dump-text"
        case .javacore, .jrockit, .threadInfo, .visualVM, .serviceabilityAgent, .hazelcast: return dump.form.rawValue
        case .jstack:
            if dump.hasHeapSummary || dump.linePrefix != nil || dump.interleavedLines > 0 { return "kill-3" }
            return "jstack"
        }
    }
}
