/// The stages of a Faultline pipeline, in the order an event meets them:
/// decode → normalise → align → correlate → rank → emit.
///
/// Each stage is a separate type in its own module so that later parsers and
/// analyses plug in without touching the others. Stages are synchronous and
/// work on batches; only whole batches cross task boundaries.
public enum StageName: String, Sendable, CaseIterable {
    case decode, normalise, align, correlate, rank, emit
}

/// Decode: turns an input's bytes into events. Fed chunks of any size; a chunk
/// boundary never changes what it emits.
public protocol ByteDecoder {
    /// Consumes `bytes` (the next chunk of the input) and appends the events it completes.
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [Event])
    /// Called once at end of input: flushes whatever a partial last line held.
    mutating func finish(into events: inout [Event])
    /// Problems met in the input so far (over-long lines, invalid bytes…).
    var diagnostics: [Diagnostic] { get }
    /// Lines (or records) seen so far.
    var recordsSeen: Int { get }
    /// Tools recognised inside the input so far (`go`, `docker`, `github-actions`…).
    var recognised: [String] { get }
    /// What continues into the next input this kind of decoder reads in the same
    /// case — a series of thread dumps split over several files — or nil.
    var carriedState: (any Sendable)? { get set }
}

extension ByteDecoder {
    /// Most decoders start afresh on every input.
    public var carriedState: (any Sendable)? {
        get { nil }
        set {}
    }
}

/// Normalise and align: a stage that rewrites a batch of events in place
/// (classifies, drops, re-times) and may hold some back until `finish`.
/// A stage has value semantics: `Pipeline.snapshot()` finishes a copy of it.
public protocol EventStage {
    var name: StageName { get }
    mutating func process(_ events: inout [Event])
    mutating func finish(_ events: inout [Event])
}

/// Correlate: consumes every event of a case and forms hypotheses from them.
/// `conclude` may be called at any time (a live snapshot) and changes nothing.
public protocol Correlating {
    mutating func consume(_ events: [Event])
    /// The hypotheses the evidence so far supports, unranked, and the verdict.
    func conclude() -> Correlation
}

/// What correlation concluded before ranking.
public struct Correlation: Sendable {
    public var verdict: Report.Verdict
    public var hypotheses: [Hypothesis]
    public var timeline: [Event]
    public var alignment: [ClockAlignment]
    /// An input itself said something failed (an error line, a failed step, a
    /// finding of error severity); without it, only hypotheses that survive
    /// ranking make the verdict a failure.
    public var failureObserved: Bool
    /// A CI runner said, after anything that failed, that the build succeeded
    /// (`Done. Your build exited with 0.`, `Finished: SUCCESS`, `Job succeeded`), or a
    /// tool said so and nothing failed (`ok  \tpkg`, TAP's `# fail 0`).
    public var successObserved = false
    /// Findings set aside rather than ranked (`AlsoSeen`), strongest first.
    public var alsoSeen: AlsoSeen?

    public init(verdict: Report.Verdict, hypotheses: [Hypothesis], timeline: [Event], alignment: [ClockAlignment] = [],
                failureObserved: Bool? = nil) {
        self.failureObserved = failureObserved ?? (verdict == .failure)
        self.verdict = verdict
        self.hypotheses = hypotheses
        self.timeline = timeline
        self.alignment = alignment
    }
}

/// Rank: orders hypotheses best first and folds explained symptoms into their cause.
public protocol Ranking {
    func rank(_ hypotheses: [Hypothesis]) -> [Hypothesis]
}

/// Emit: renders a report for people or programs.
public protocol ReportRendering {
    func render(_ report: Report) -> String
}
