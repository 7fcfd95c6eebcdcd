/// One thing that happened, as decoded from an input: the unit every stage passes on.
///
/// Decoders fill the location, time, kind and text; the normalise stage adds
/// the cause, layer, subjects and confidence when a rule signature matches.
public struct Event: Sendable {
    public var time: EventTime
    public var location: SourceLocation
    public var kind: EventKind
    public var severity: Severity
    /// The payload text as it appeared, wrappers (CI timestamps, BuildKit prefixes, ANSI) removed.
    public var text: String
    /// The build step this event happened in, when the input has steps.
    public var step: StepRef?
    public var subjects: Subjects
    /// Set by the normalise stage when a signature matched.
    public var cause: String?
    public var layer: Layer?
    /// The id of the signature that classified this event.
    public var signature: String?
    /// The signature's confidence that this line, alone, shows `cause`.
    public var confidence: Double
    /// The test whose own output this line is (Go's `=== RUN TestX` … `--- PASS: TestX`), if any.
    public var testContext: String?

    public init(
        time: EventTime = .unknown,
        location: SourceLocation,
        kind: EventKind,
        severity: Severity = .info,
        text: String,
        step: StepRef? = nil,
        subjects: Subjects = Subjects(),
        cause: String? = nil,
        layer: Layer? = nil,
        signature: String? = nil,
        confidence: Double = 0
    ) {
        self.time = time
        self.location = location
        self.kind = kind
        self.severity = severity
        self.text = text
        self.step = step
        self.subjects = subjects
        self.cause = cause
        self.layer = layer
        self.signature = signature
        self.confidence = confidence
    }
}

/// What sort of event this is, as a dotted name (`log.line`, `step.start`, `dns.query`).
public struct EventKind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A payload line that a prefilter found interesting; rules classify it.
    public static let logLine = EventKind("log.line")
    /// A build step (Docker instruction, CI group) began.
    public static let stepStart = EventKind("step.start")
    /// A build step failed, with its exit code when known.
    public static let stepFailed = EventKind("step.failed")
    /// The whole build reported failure (`ERROR: failed to solve`, `##[error]Process completed…`).
    public static let buildFailed = EventKind("build.failed")
    /// The CI runner's own final word that the build succeeded (`Done. Your build exited with 0.`,
    /// `Finished: SUCCESS`, `Job succeeded`): it outweighs error-looking lines printed before it.
    public static let buildSucceeded = EventKind("build.succeeded")
    /// A CI runner said one command succeeded (Travis's `The command "npm test" exited with 0.`):
    /// error-looking lines inside that step broke nothing.
    public static let stepSucceeded = EventKind("step.succeeded")
    /// A tool said it succeeded (`ok  \tpkg 0.2s` from go test, TAP's `# fail 0`): with
    /// nothing failed, the tool's own word that a log of no known format is healthy.
    public static let toolSucceeded = EventKind("tool.succeeded")
    /// A test passed (`--- PASS: TestX`): what it printed broke nothing. Its `test` subject names it.
    public static let testPassed = EventKind("test.passed")
    /// A Go package's tests passed (`ok  \tpkg 0.2s`, every package's): the lines its test binary
    /// printed just before it (in a run without `-v`, with no `=== RUN` around them) broke nothing.
    public static let packagePassed = EventKind("test.package-passed")
    /// A Dockerfile excerpt line naming where the failing instruction is.
    public static let dockerfileLocation = EventKind("build.dockerfile-location")
}

/// A reference to the build step an event belongs to.
public struct StepRef: Sendable, Hashable {
    /// Stable key within one input: `bk:8` for BuildKit vertex 8, `docker:4` for legacy step 4, `ci:3` for the third CI group.
    public var key: String
    /// What the step runs, e.g. `[builder 4/7] RUN go mod download`.
    public var name: String?

    public init(key: String, name: String? = nil) {
        self.key = key
        self.name = name
    }
}
