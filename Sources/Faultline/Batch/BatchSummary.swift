public import FaultlineCore

/// What a whole batch came to, for the exit status and the last progress line.
public struct BatchSummary: Sendable {
    /// Cases in the batch (of its shard), analysed or skipped.
    public var cases = 0
    /// Cases analysed and emitted.
    public var analysed = 0
    /// Cases skipped because a database already held them with the same fingerprint.
    public var skipped = 0
    /// Cases with an input that could not be read.
    public var unreadable = 0
    /// Cases by verdict.
    public var failures = 0
    public var successes = 0
    public var unknown = 0
    /// The most archive cases held in memory at once (read in part, waiting for their last member).
    public var mostCasesHeld = 0
    /// Input bytes analysed (as stored: compressed sizes for `.gz` members).
    public var bytes = 0
    /// What finding the cases passed over: a file reached by a second name, a folder link cycle.
    public var notes: [Diagnostic] = []

    public init() {}
}
