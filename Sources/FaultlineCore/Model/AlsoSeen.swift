/// What the evidence also showed that bears on none of the reported causes, told
/// as one note below them: a capture's findings about names no log line mentions
/// (another process's lookups), or about a build whose logs show it did not fail.
/// Set aside rather than ranked, so they never outrank what the logs prove, and
/// one note rather than one hypothesis per name.
public struct AlsoSeen: Sendable {
    /// Why these findings were set aside.
    public enum Reason: String, Sendable {
        /// The logs failed for a reason of their own; these findings are about names and resolvers no log line names.
        case unrelated
        /// The logs show a build that did not fail: what the capture shows broke nothing.
        case buildHealthy = "build-healthy"
    }

    public var reason: Reason
    /// The findings set aside, strongest first, each with its cause, subjects and first evidence.
    public var findings: [Hypothesis]

    public init(reason: Reason, findings: [Hypothesis]) {
        self.reason = reason
        self.findings = findings
    }

    /// One sentence for people: why the findings were set aside, and their titles.
    public var text: String {
        let lead = switch reason {
        case .unrelated: "Also seen, about names no log line mentions (not ranked with the causes)"
        case .buildHealthy: "Also seen, in a build whose logs show it did not fail"
        }
        let shown = findings.prefix(5).map(\.title)
        let more = findings.count > shown.count ? "; and \(findings.count - shown.count) more" : ""
        return "\(lead): \(shown.joined(separator: "; "))\(more)."
    }
}
