public import FaultlineCore

/// How long a rule's pattern may take on one line, and which rules took longer.
///
/// A pattern that backtracks catastrophically (`^(a+)+$` on a long run of `a`s that ends
/// otherwise) can cost seconds a line. Each pattern gets `limit` of its thread's CPU time on a
/// line (`BoundedRegex`); one that overruns it is reported once — a `Diagnostic` at its
/// pipeline file and line — and is not tried again for the rest of the case, so a log of a
/// million such lines costs one overrun, not a million. The line goes on to the next rule.
///
/// One budget per case (`NormaliseStage` keeps it): the matcher itself stays shared and immutable.
public struct PatternBudget: Sendable {
    /// The CPU time a pattern may spend on one line: a thousand times what the built-in rules
    /// take on an 8K window (tens of microseconds), so only a runaway pattern meets it.
    public static let defaultLimit: Duration = .milliseconds(50)

    public var limit: Duration
    /// Indices (in the matcher's order) of the signatures whose pattern overran.
    private(set) var overrun: Set<Int> = []
    /// One warning per signature that overran, in the order they did.
    public private(set) var diagnostics: [Diagnostic] = []

    public init(limit: Duration = defaultLimit) {
        self.limit = limit
    }

    /// Whether signature `index` is still tried.
    @inline(__always)
    func allows(_ index: Int) -> Bool {
        overrun.isEmpty || !overrun.contains(index)
    }

    /// Records that signature `index` overran on a line (`place` says which, for the message).
    mutating func overran(_ index: Int, signature: Signature, place: String?) {
        guard overrun.insert(index).inserted else { return }
        let milliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        diagnostics.append(Diagnostic(
            code: "rule.pattern-budget",
            message: "the pattern of signature '\(signature.id)' took more than \(milliseconds) ms on one line"
                + (place.map { " (\($0))" } ?? "") + " and was stopped; the signature is not tried on later lines. "
                + "A pattern that repeats a group that itself repeats, as in ^(a+)+$, backtracks exponentially: "
                + "`faultline pipelines validate` names such patterns",
            input: signature.file, line: signature.line, severity: .warning))
    }
}
