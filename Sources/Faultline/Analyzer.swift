public import FaultlineCore
import FaultlineDecode
import FaultlineEngine
public import FaultlineInput
public import FaultlineRules
import FaultlineCapture

/// Analyses one case — every input a user names, correlated together — and
/// returns its report. This is the library entry point the CLI calls.
///
/// Each input is opened (files, folders, `.gz`, `-`), its format detected from
/// its first bytes, decoded in 1 MiB chunks and pushed through the pipeline
/// in batches; an input that cannot be read becomes a diagnostic and the
/// others are still analysed.
public struct Analyzer {
    /// Progress of one input, for a front end to show on long work.
    public struct Progress: Sendable {
        public var path: String
        public var bytesRead: Int
        /// Size on disk, when known (compressed size for `.gz`).
        public var totalBytes: Int?
        public var rawBytesRead: Int
    }

    public let knowledge: KnowledgeBase
    public var includeTimeline = false
    public var chunkSize = 1 << 20
    /// Events are handed to the pipeline in batches of about this many.
    public var batchSize = 1024
    /// Which decoder reads which detected format.
    public var handlers = InputHandlers.standard
    /// The zone of local timestamps that carry none (thread-dump headers).
    public var localTimeZone = "UTC"

    /// Whether `name` is a time zone `localTimeZone` accepts (`UTC`, `+02:00`, `Europe/Berlin`).
    public static func isValidTimeZone(_ name: String) -> Bool { DumpTimeZone(name) != nil }

    public init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
    }

    /// Loads the knowledge base for `pipeline` (a name in `library` or a YAML path); the
    /// library is the built-in copy overlaid by the user's folders unless one is given.
    public static func loadKnowledge(pipeline: String = "default",
                                     library: PipelineLibrary = .standard()) throws(RuleErrors) -> KnowledgeBase {
        try KnowledgeBaseLoader.load(pipeline: pipeline, library: library)
    }

    /// Analyses the files, folders (walked) and `-` a user named as one case.
    public func analyze(paths: [String], progress: ((Progress) -> Void)? = nil) -> Report {
        let (resolved, resolveDiagnostics) = InputResolver.resolve(paths)
        // Errors are inputs that could not be read; warnings (a file or folder passed over) are notes.
        let errors = resolveDiagnostics.filter { $0.severity == .error }
        return analyze(sources: errors.map { .unreadable($0) } + resolved.map { .path($0.path) },
                       notes: resolveDiagnostics.filter { $0.severity != .error }, progress: progress)
    }

    /// Analyses `sources` — files, bytes in memory (archive members), inputs already known to be
    /// unreadable — as one case, in the order given: the same pipeline whatever the sources are.
    /// `notes` go into the report's diagnostics as they are (what finding the sources passed over).
    public func analyze(sources: [InputSource], notes: [Diagnostic] = [], progress: ((Progress) -> Void)? = nil) -> Report {
        var diagnostics: [Diagnostic] = notes
        var summaries: [InputSummary] = []
        let inputPaths = sources.map(\.name)
        // Optional only so that it can be retired at the end (its correlation holds every name the inputs named).
        var pipeline: Pipeline? = Pipeline(
            stages: [NormaliseStage(knowledge: knowledge, inputPaths: inputPaths), AlignStage()],
            correlator: CaseCorrelator(knowledge: knowledge, inputPaths: inputPaths, keepsTimeline: includeTimeline),
            ranker: LayerRanker(knowledge: knowledge))
        var buffer = [UInt8](repeating: 0, count: max(FormatDetector.sampleSize, chunkSize))
        var carried: [String: any Sendable] = [:]
        for (index, source) in sources.enumerated() {
            let summary = analyzeInput(source, index: index, buffer: &buffer, pipeline: &pipeline!,
                                       diagnostics: &diagnostics, carried: &carried, progress: progress)
            summaries.append(summary)
        }
        let correlation = pipeline!.finish()
        let report = Self.report(correlation, pipeline: pipeline!, summaries: summaries, diagnostics: diagnostics,
                                 knowledge: knowledge, includeTimeline: includeTimeline)
        Retired.free(&pipeline, leaving: nil)
        return report
    }

    /// The report of a finished case: each input's clock from the align stage, and a success
    /// only where some input could have shown a failure. Shared with `LiveCase`.
    static func report(_ correlation: Correlation, pipeline: Pipeline, summaries: [InputSummary], diagnostics: [Diagnostic],
                       knowledge: KnowledgeBase, includeTimeline: Bool) -> Report {
        var correlation = correlation
        var summaries = summaries
        if let align = pipeline.stage(AlignStage.self) {
            for index in summaries.indices { summaries[index].clock = align.clocks[index] ?? .none }
        }
        // Success needs an input that could have shown a failure: a recognised log, a dump, a capture with frames.
        // A thread-dump input in which no thread could be read is not understood, never healthy.
        let unreadDumps = Set(diagnostics.filter { ThreadDumpDecoder.unreadCodes.contains($0.code) }.compactMap(\.input))
        let recognisedLog = summaries.contains { summary in
            (InputFormat(name: summary.format).isBuildLog && summary.format != "text")
                || (["jstack", "jstack-json"].contains(summary.format) && !unreadDumps.contains(summary.path))
                || ((summary.format == "pcap" || summary.format == "pcapng") && (summary.frames ?? 0) > 0)
        }
        if correlation.verdict == .success && !recognisedLog && !correlation.successObserved { correlation.verdict = .unknown }
        // Rules whose pattern overran its time on a line, once each, after the inputs' own.
        let ruleDiagnostics = pipeline.stage(NormaliseStage.self)?.diagnostics ?? []
        var report = Report(verdict: correlation.verdict, inputs: summaries, hypotheses: correlation.hypotheses,
                            timeline: includeTimeline ? correlation.timeline : [], diagnostics: diagnostics + ruleDiagnostics,
                            pipeline: knowledge.pipelineName)
        report.alignment = correlation.alignment
        report.alsoSeen = correlation.alsoSeen
        report.provenance = FaultlineVersion.provenance(rules: knowledge)
        return report
    }

    func analyzeInput(_ source: InputSource, index: Int, buffer: inout [UInt8], pipeline: inout Pipeline,
                              diagnostics: inout [Diagnostic], carried: inout [String: any Sendable],
                              progress: ((Progress) -> Void)?) -> InputSummary {
        let path = source.name
        let reader: InputReader
        do {
            reader = try InputReader(source: source)
        } catch {
            diagnostics.append(error)
            return InputSummary(path: path, format: "unreadable", failed: true)
        }
        let total = Self.size(of: source)
        // Fill the head for detection.
        let head = buffer.withUnsafeMutableBytes { reader.fill(UnsafeMutableRawBufferPointer(rebasing: $0.prefix(FormatDetector.sampleSize))) }
        let filled = head.count
        var readError = head.error
        let format = buffer.withUnsafeBytes { FormatDetector.detect(UnsafeRawBufferPointer(rebasing: $0[0..<filled])) }
        var summary = InputSummary(path: path, format: format.name, contains: format.contains)
        switch format.name {
        case "empty":
            if let readError { diagnostics.append(readError) } else {
                diagnostics.append(Diagnostic(code: "input.empty", message: "the input is empty", input: path, severity: .warning))
            }
            summary.failed = readError != nil
            return summary
        case "binary":
            diagnostics.append(Diagnostic(code: "input.binary",
                message: "binary data, neither a log nor a capture (checked the first \(min(filled, FormatDetector.sampleSize)) bytes); skipped",
                input: path, byteOffset: 0))
            summary.failed = true
            return summary
        default:
            break
        }
        let context = InputContext(index: index, path: path, knowledge: knowledge, isCompressed: reader.isCompressed,
                                   localTimeZone: localTimeZone)
        let makeDecoder: @Sendable (InputContext) -> any ByteDecoder
        switch handlers[format.name] {
        case .file(let read)?:
            var count = 0
            let result = read(context, OpenedInput(reader: reader, head: Array(buffer[0..<filled]))) { batch in
                count += batch.count
                pipeline.push(batch)
            }
            diagnostics += result.diagnostics
            summary.events = count
            summary.frames = result.frames
            summary.failed = result.failed
            summary.bytes = Self.size(of: source) ?? 0
            for item in result.contains where !summary.contains.contains(item) { summary.contains.append(item) }
            return summary
        case .bytes(let make)?:
            makeDecoder = make
        case nil:
            diagnostics.append(Diagnostic(code: "input.unsupported",
                message: "recognised as \(format.name), which this version does not analyse yet; skipped",
                input: path, severity: .info))
            summary.bytes = filled
            return summary
        }
        var decoder = makeDecoder(context)
        // A series (of thread dumps) continues from the previous input read by the same kind of decoder.
        let family = String(describing: type(of: decoder))
        if let state = carried[family] { decoder.carriedState = state }
        var events: [Event] = []
        var eventCount = 0
        func flush(force: Bool) {
            if events.count >= batchSize || (force && !events.isEmpty) {
                eventCount += events.count
                pipeline.push(events)
                events.removeAll(keepingCapacity: true)
            }
        }
        buffer.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<filled]), into: &events) }
        flush(force: false)
        while readError == nil {
            switch Self.read(reader, into: &buffer, at: 0) {
            case .failure(let error):
                readError = error
            case .success(0):
                break
            case .success(let n):
                buffer.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<n]), into: &events) }
                flush(force: false)
                progress?(Progress(path: path, bytesRead: reader.bytesDelivered, totalBytes: total, rawBytesRead: reader.rawBytesRead))
                continue
            }
            break
        }
        decoder.finish(into: &events)
        flush(force: true)
        if let state = decoder.carriedState { carried[family] = state }
        if let readError {
            // Not read to its end: exit 3, as for a capture cut short.
            diagnostics.append(readError)
            summary.failed = true
        }
        diagnostics += decoder.diagnostics
        summary.events = eventCount
        summary.lines = decoder.recordsSeen
        summary.bytes = reader.bytesDelivered
        for tool in decoder.recognised where tool != summary.format && !summary.contains.contains(tool) {
            summary.contains.append(tool)
        }
        return summary
    }

    /// The stored size of an input (compressed size for `.gz`), when known.
    private static func size(of source: InputSource) -> Int? {
        switch source {
        case .path(let path): return FileSize.of(path)
        case .bytes(_, let bytes): return bytes.count
        case .unreadable: return nil
        }
    }

    /// Reads the next bytes of `reader` into `buffer[offset...]`.
    private static func read(_ reader: InputReader, into buffer: inout [UInt8], at offset: Int) -> Result<Int, Diagnostic> {
        buffer.withUnsafeMutableBytes { raw in
            Result { () throws(Diagnostic) in try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...])) }
        }
    }
}
