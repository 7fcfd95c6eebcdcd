public import FaultlineCore

/// A cause in the catalogue: its layer, how to title it, and what it explains.
public struct CauseDefinition: Sendable {
    public var id: String
    public var layer: Layer
    /// A title template: `{host}`-style placeholders name subjects.
    public var title: String
    /// Causes and symptoms this one accounts for when both are seen for the same subject.
    public var explains: [String]
    /// Whether this cause is a symptom (like `build_step_failed`) rather than a root cause.
    public var isSymptom: Bool

    public init(id: String, layer: Layer, title: String, explains: [String] = [], isSymptom: Bool = false) {
        self.id = id
        self.layer = layer
        self.title = title
        self.explains = explains
        self.isSymptom = isSymptom
    }
}

/// A way a cause shows itself in a log line.
public struct Signature: Sendable {
    public var id: String
    public var cause: String
    /// The pack (tool) the signature belongs to: `go`, `docker`, `npm`.
    public var pack: String
    /// Case-sensitive literals that must all appear in the line.
    public var all: [String]
    /// Literals that must not appear.
    public var none: [String]
    /// The literal the prefilter scans for (the longest of `all` unless set).
    public var anchor: String
    /// An ICU regular expression with named groups; each group becomes a subject.
    public var pattern: String?
    public var confidence: Double
    public var severity: Severity
    /// A runner's closing count (`5 failing`, `Tests: 1 failed`, `✖ 3 problems`), or a tool's
    /// sentence that says what went wrong but not where (npm's `Your cache folder contains
    /// root-owned files`): evidence that supports a failure, listed after the lines that show it
    /// (the failing test, the finding, the path).
    public var isSummary = false
    /// Where the line finds subjects it does not state, in the lines just before it.
    public var context: SignatureContext?
    /// Real lines this signature must match, checked by `faultline pipelines validate`.
    public var examples: [String]
    public var file: String
    public var line: Int?
}

/// What a pack says to do about a cause, and the command that confirms it.
public struct Remedy: Sendable {
    public var remediation: [String]
    public var verify: [String]
}

/// What a failed command's own name says about the failure when nothing in
/// its output does: `npm run lint` failed, so a linter failed the build.
public struct CommandRule: Sendable {
    /// An ICU regular expression tried against the failed step's command.
    public var pattern: String
    public var cause: String
    public var file: String
    public var line: Int?
}

/// One rule pack: the signatures and remedies of one tool.
public struct RulePack: Sendable {
    public var name: String
    public var description: String
    public var signatures: [Signature]
    public var remedies: [String: Remedy]
    /// Failed commands whose name tells the cause, tried in order.
    public var commands: [CommandRule] = []
    public var file: String
}

/// The stages' windows and thresholds, read from the `stages:` section of a
/// pipeline file (every one has a default, so a pipeline names only what it changes).
public struct PipelineSettings: Sendable {
    /// decode: longer lines are cut here and reported.
    public var maxLineBytes = 1 << 20
    /// align: a clock offset estimated beyond this is rejected as implausible.
    public var maxClockOffsetSeconds = 3600.0
    /// align: how far out of time order a source may deliver events.
    public var reorderWindowEvents = 4096
    /// correlate: events further apart than this (on the aligned clock) are not joined.
    public var correlationWindowSeconds = 600.0
    /// correlate: evidence items kept per hypothesis.
    public var maxEvidence = 6
    /// correlate: events kept for the timeline (the newest win).
    public var timelineEvents = 2000
    /// rank: hypotheses below this confidence are not reported.
    public var minConfidence = 0.2

    public init() {}

    /// Every setting with its stage and value, for `faultline pipelines show`.
    public var described: [(stage: String, key: String, value: String)] {
        [("decode", "max_line_bytes", String(maxLineBytes)),
         ("align", "max_clock_offset_seconds", String(maxClockOffsetSeconds)),
         ("align", "reorder_window_events", String(reorderWindowEvents)),
         ("correlate", "window_seconds", String(correlationWindowSeconds)),
         ("correlate", "max_evidence", String(maxEvidence)),
         ("correlate", "timeline_events", String(timelineEvents)),
         ("rank", "min_confidence", String(minConfidence))]
    }
}

/// Everything a run needs to know about causes: the catalogue, the packs in
/// order, and the pipeline settings. Loaded from `Pipelines/` at run time.
public struct KnowledgeBase: Sendable {
    public var pipelineName: String
    public var pipelineFile: String
    public var description: String
    public var causes: [String: CauseDefinition]
    public private(set) var packs: [RulePack]
    public var settings: PipelineSettings
    /// The rule packs' version: the pipeline's name and a content hash of its YAML (the pipeline
    /// file, the catalogue and every pack, in order), so a report says which rules produced it.
    public var rulesVersion = ""
    /// Every signature compiled once, in the order they are tried.
    public private(set) var matcher: SignatureMatcher
    /// Every pack's command rules compiled once, in pack order.
    public private(set) var commands: CommandClassifier
    /// The signatures' contexts compiled once, by signature id.
    public private(set) var contexts: [String: SignatureContext.Compiled]

    public init(pipelineName: String, pipelineFile: String, description: String,
                causes: [String: CauseDefinition], packs: [RulePack], settings: PipelineSettings) {
        self.pipelineName = pipelineName
        self.pipelineFile = pipelineFile
        self.description = description
        self.causes = causes
        self.packs = packs
        self.settings = settings
        matcher = SignatureMatcher(signatures: packs.flatMap(\.signatures))
        commands = CommandClassifier(rules: packs.flatMap(\.commands))
        var contexts: [String: SignatureContext.Compiled] = [:]
        for signature in packs.flatMap(\.signatures) {
            if let context = signature.context { contexts[signature.id] = SignatureContext.Compiled(context) }
        }
        self.contexts = contexts
    }

    /// Every signature, in the order they are tried.
    public var signatures: [Signature] { packs.flatMap(\.signatures) }

    /// The literals the decoders' prefilter scans for.
    public var anchors: [String] {
        Array(Set(signatures.map(\.anchor) + signatures.flatMap { $0.context?.anchors ?? [] })).sorted()
    }

    /// Remediation and verification for `cause`: from the packs of the tools
    /// seen (in pack order), falling back to every pack that has one. With no
    /// tool seen (a capture alone), packs without signatures or command rules
    /// (the capture's own, which speak of no tool) come first.
    public func remedy(for cause: String, tools: Set<String>) -> Remedy {
        var remediation: [String] = []
        var verify: [String] = []
        let preferred = tools.isEmpty ? packs.filter { $0.signatures.isEmpty && $0.commands.isEmpty }
            : packs.filter { tools.contains($0.name) }
        let sources = preferred.contains(where: { $0.remedies[cause] != nil }) ? preferred : packs
        for pack in sources {
            guard let remedy = pack.remedies[cause] else { continue }
            remediation += remedy.remediation.filter { !remediation.contains($0) }
            verify += remedy.verify.filter { !verify.contains($0) }
        }
        return Remedy(remediation: remediation, verify: verify)
    }
}
