/// When a report should fail a CI step (`--fail-on`, `--exit-code`): at `failure`, when the
/// verdict is a failure; at `warning`, also when anything was found on a build that did not
/// fail — a hypothesis, or a diagnostic of warning severity or worse about an input.
public enum FailureThreshold: String, Sendable, CaseIterable {
    case failure, warning

    /// Whether `report` reaches this threshold.
    public func isReached(by report: Report) -> Bool {
        if report.verdict == .failure { return true }
        switch self {
        case .failure: return false
        case .warning: return !report.hypotheses.isEmpty || report.diagnostics.contains { $0.severity >= .warning }
        }
    }
}
