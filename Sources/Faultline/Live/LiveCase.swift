public import FaultlineCore
import FaultlineDecode
import FaultlineEngine
import FaultlineInput
public import FaultlineRules

/// One case analysed while its inputs are still arriving — `faultline watch`
/// and `faultline run`. The same decoders (`InputHandlers`) and the same
/// `Pipeline` as `Analyzer.analyze`, fed chunk by chunk instead of file by
/// file; `snapshot()` ranks the hypotheses the evidence so far supports
/// without ending the case, and `finish()` gives the report `analyze` would.
///
/// ```swift
/// var live = LiveCase(knowledge: knowledge, inputs: [.stream("-")])
/// live.feed(chunk, input: 0, arrival: now)
/// let top = live.snapshot().hypotheses.first
/// let report = live.finish()
/// ```
///
/// Not thread-safe: one thread feeds it (events from other threads, such as a
/// live capture's, are handed over with `push`).
public struct LiveCase {
    /// An input of the case, in the order its index is given.
    public enum Input: Sendable {
        /// A byte stream decoded as a log (standard input, a file being written, a child's output).
        case stream(String)
        /// Events that arrive already decoded (a live capture), under this name.
        case events(String)
    }

    public let knowledge: KnowledgeBase
    public var includeTimeline = false
    private let inputs: [Input]
    private let localTimeZone: String
    private var streams: [Int: LiveStream] = [:]
    private var pipeline: Pipeline
    private var eventBuffer: [Event] = []
    /// Events, frames and diagnostics of `events` inputs, reported by their feeder.
    private var pushedEvents: [Int: Int] = [:]
    private var frames: [Int: Int] = [:]
    private var formats: [Int: String] = [:]
    private var extraDiagnostics: [Diagnostic] = []
    /// Causes (with their subject) and failures seen so far, to tell new evidence from more of the same.
    private var evidenceKeys: Set<String> = []
    static let evidenceKeyLimit = 10_000
    /// Whether events pushed since the last `takeNewEvidence()` included a cause for a subject not seen
    /// before or a failure: worth a snapshot at once, whatever the rate limit.
    public private(set) var hasNewEvidence = false

    /// Events that went through the pipeline so far.
    public var eventsSeen: Int { pipeline.eventsSeen }
    /// Moves with every event and every hand-over of provisional findings: a snapshot is worth taking when this moved.
    public var changes: Int { pipeline.eventsSeen + provisionalUpdates }
    /// By input, a live capture's findings so far: in snapshots only, replaced by its own findings at its end.
    private var provisional: [Int: [Event]] = [:]
    private var provisionalUpdates = 0

    public init(knowledge: KnowledgeBase, inputs: [Input], localTimeZone: String = "UTC",
                handlers: [String: InputHandler] = InputHandlers.standard) {
        self.knowledge = knowledge
        self.inputs = inputs
        self.localTimeZone = localTimeZone
        let paths = inputs.map(\.path)
        pipeline = Pipeline(stages: [NormaliseStage(knowledge: knowledge, inputPaths: paths), AlignStage()],
                            correlator: CaseCorrelator(knowledge: knowledge, inputPaths: paths),
                            ranker: LayerRanker(knowledge: knowledge))
        for (index, input) in inputs.enumerated() {
            guard case .stream(let path) = input else { continue }
            let context = InputContext(index: index, path: path, knowledge: knowledge, isCompressed: false,
                                       localTimeZone: localTimeZone)
            streams[index] = LiveStream(context: context, handlers: handlers)
        }
    }

    /// Decodes the next bytes of stream `input` and pushes what they complete.
    /// `arrival` (seconds since the epoch) times the lines that carry no time of their own.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, input: Int, arrival: Double) {
        guard var stream = streams[input] else { return }
        streams[input] = nil
        stream.decode(chunk, arrival: arrival, into: &eventBuffer)
        streams[input] = stream
        flush()
    }

    /// The end of stream `input`: a partial last line is decoded.
    public mutating func endOfStream(_ input: Int, arrival: Double) {
        guard var stream = streams[input] else { return }
        streams[input] = nil
        stream.finish(arrival: arrival, into: &eventBuffer)
        streams[input] = stream
        flush()
    }

    /// Stream `input` turned out to be a capture (its first bytes): its events will be pushed, not decoded here.
    public mutating func becomeCapture(_ input: Int) {
        streams[input] = nil
        formats[input] = "pcap"
    }

    /// Pushes events decoded elsewhere (a live capture's) as input `input`.
    public mutating func push(_ events: [Event], input: Int) {
        guard !events.isEmpty else { return }
        pushedEvents[input, default: 0] += events.count
        pushNoting(events)
    }

    /// A live capture's findings so far (each call replaces the last for `input`): they count in
    /// `snapshot()`, never in the report; the capture's own findings, pushed at its end, replace them.
    public mutating func setProvisional(_ events: [Event], input: Int) {
        provisional[input] = events.isEmpty ? nil : events
        provisionalUpdates += 1
        if noteEvidence(events) { hasNewEvidence = true }
    }

    /// What an `events` input's feeder knows about it: its format, frames read and problems met.
    public mutating func describe(input: Int, format: String, frames: Int?, diagnostics: [Diagnostic]) {
        formats[input] = format
        self.frames[input] = frames
        extraDiagnostics += diagnostics
    }

    /// Adds a problem noticed while watching (a stalled input) to the report.
    public mutating func note(_ diagnostic: Diagnostic) {
        extraDiagnostics.append(diagnostic)
    }

    /// The name the report gives input `index`.
    public func inputName(_ index: Int) -> String {
        inputs.indices.contains(index) ? inputs[index].path : "?"
    }

    /// Lines of stream `input` read so far.
    public func linesSeen(input: Int) -> Int? {
        streams[input]?.lines
    }

    /// The ranked hypotheses and verdict the evidence so far supports; the case goes on.
    public func snapshot() -> Correlation {
        pipeline.snapshot(adding: provisional.keys.sorted().flatMap { provisional[$0] ?? [] })
    }

    /// Ends every stream and the case: the report `analyze` would give for the same inputs.
    public mutating func finish(arrival: Double) -> Report {
        provisional.removeAll()
        for index in streams.keys.sorted() { endOfStream(index, arrival: arrival) }
        var summaries: [InputSummary] = []
        var diagnostics: [Diagnostic] = []
        for (index, input) in inputs.enumerated() {
            if let stream = streams[index] {
                let (summary, found) = stream.summary()
                summaries.append(summary)
                diagnostics += found
            } else {
                summaries.append(InputSummary(path: input.path, format: formats[index] ?? "events",
                                              events: pushedEvents[index] ?? 0, frames: frames[index]))
            }
        }
        diagnostics += extraDiagnostics
        let correlation = pipeline.finish()
        return Analyzer.report(correlation, pipeline: pipeline, summaries: summaries, diagnostics: diagnostics,
                               knowledge: knowledge, includeTimeline: includeTimeline)
    }

    /// Reads a whole file into the case as `events` input `input`, exactly as `analyze` reads it:
    /// a capture written beside the stream (`tcpdump -U -w dns.pcap` while the build ran), read
    /// when the stream has ended, so the log's arrival-timed lines and the frames share one timeline.
    public mutating func read(file path: String, input: Int) {
        flush()
        var analyzer = Analyzer(knowledge: knowledge)
        analyzer.localTimeZone = localTimeZone
        var buffer = [UInt8](repeating: 0, count: max(FormatDetector.sampleSize, analyzer.chunkSize))
        var diagnostics: [Diagnostic] = []
        var carried: [String: any Sendable] = [:]
        let summary = analyzer.analyzeInput(.path(path), index: input, buffer: &buffer, pipeline: &pipeline,
                                            diagnostics: &diagnostics, carried: &carried, progress: nil)
        pushedEvents[input] = summary.events
        frames[input] = summary.frames
        formats[input] = summary.format
        extraDiagnostics += diagnostics
        hasNewEvidence = true
    }

    /// Reads and clears `hasNewEvidence`.
    public mutating func takeNewEvidence() -> Bool {
        defer { hasNewEvidence = false }
        return hasNewEvidence
    }

    /// Pushes `events` into the pipeline, noting whether the classified events include new evidence.
    private mutating func pushNoting(_ events: [Event]) {
        var seen: [Event] = []
        pipeline.push(events) { classified in seen = classified }
        if noteEvidence(seen) { hasNewEvidence = true }
    }

    /// Records the causes (with their subject) and failures among `events`: true when one was not seen before.
    private mutating func noteEvidence(_ events: [Event]) -> Bool {
        var found = false
        for event in events {
            let key: String
            if let cause = event.cause {
                key = cause + "|" + LiveStatus.subjectKey(event.subjects)
            } else if event.kind == .stepFailed || event.kind == .buildFailed {
                key = event.kind.rawValue + "|" + (event.step?.key ?? "")
            } else {
                continue
            }
            if evidenceKeys.count < Self.evidenceKeyLimit, evidenceKeys.insert(key).inserted { found = true }
        }
        return found
    }

    private mutating func flush() {
        guard !eventBuffer.isEmpty else { return }
        pushNoting(eventBuffer)
        eventBuffer.removeAll(keepingCapacity: true)
    }
}

extension LiveCase.Input {
    /// The name the report gives the input.
    public var path: String {
        switch self {
        case .stream(let path), .events(let path): path
        }
    }
}
