/// A candidate root cause: an id from the cause catalogue with the evidence,
/// confidence and fix that go with it.
public struct Hypothesis: Sendable {
    /// A cause id from SPEC section 3 (or one added by a rule pack).
    public var cause: String
    public var layer: Layer
    /// 0…1.
    public var confidence: Double
    public var title: String
    public var subjects: Subjects
    /// Best first.
    public var evidence: [Evidence]
    /// Evidence that speaks against this hypothesis (a capture answering the
    /// name a log could not resolve); it lowered the confidence.
    public var against: [Evidence] = []
    /// The inputs (indexes) the evidence comes from: two sources that agree count for more.
    public var sources: [Int] = []
    /// Causes and symptoms this hypothesis accounts for (e.g. `build_step_failed`).
    public var explains: [String]
    public var remediation: [String]
    public var verify: [String]

    public init(cause: String, layer: Layer, confidence: Double, title: String, subjects: Subjects,
                evidence: [Evidence], explains: [String] = [], remediation: [String] = [], verify: [String] = []) {
        self.cause = cause
        self.layer = layer
        self.confidence = confidence
        self.title = title
        self.subjects = subjects
        self.evidence = evidence
        self.explains = explains
        self.remediation = remediation
        self.verify = verify
    }
}
