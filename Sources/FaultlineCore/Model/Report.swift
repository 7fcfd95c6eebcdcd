/// The outcome of analysing one case: what was read, what failed and why.
///
/// This is the value every renderer (JSON, text) emits; its JSON form is the
/// `faultline.report/1` contract of SPEC section 2.
public struct Report: Sendable {
    public static let schema = "faultline.report/1"

    /// Whether the evidence shows a failure.
    public enum Verdict: String, Sendable {
        case failure, success, unknown
    }

    public var verdict: Verdict
    public var inputs: [InputSummary]
    /// Best first; empty when nothing failed.
    public var hypotheses: [Hypothesis]
    /// The aligned events; filled only when the caller asked for the timeline.
    public var timeline: [Event]
    /// Problems with the inputs, in the order met.
    public var diagnostics: [Diagnostic]
    /// The pipeline that produced this report.
    public var pipeline: String
    /// How the inputs' clocks were put on one timeline.
    public var alignment: [ClockAlignment] = []
    /// Which build and rule packs produced this report.
    public var provenance: Provenance?
    /// Findings set aside in one note: about nothing the logs name, or in a build that did not fail.
    public var alsoSeen: AlsoSeen?

    public init(verdict: Verdict, inputs: [InputSummary], hypotheses: [Hypothesis],
                timeline: [Event] = [], diagnostics: [Diagnostic] = [], pipeline: String) {
        self.verdict = verdict
        self.inputs = inputs
        self.hypotheses = hypotheses
        self.timeline = timeline
        self.diagnostics = diagnostics
        self.pipeline = pipeline
    }
}

/// What Faultline made of one input: its detected format, how many events it
/// gave and which clock its times are on.
public struct InputSummary: Sendable {
    public var path: String
    /// `go-log`, `npm-log`, `buildkit`, `docker-legacy`, `github-actions`, `gitlab-ci`, `pcap`, `pcapng`, … or `unreadable`.
    public var format: String
    /// Tools whose output was recognised inside the input (`go`, `docker`), for wrapped logs.
    public var contains: [String]
    public var events: Int
    public var clock: EventTime.Clock
    public var bytes: Int
    public var lines: Int?
    public var frames: Int?
    /// The input could not be read at all.
    public var failed: Bool

    public init(path: String, format: String, contains: [String] = [], events: Int = 0,
                clock: EventTime.Clock = .none, bytes: Int = 0, lines: Int? = nil,
                frames: Int? = nil, failed: Bool = false) {
        self.path = path
        self.format = format
        self.contains = contains
        self.events = events
        self.clock = clock
        self.bytes = bytes
        self.lines = lines
        self.frames = frames
        self.failed = failed
    }
}
