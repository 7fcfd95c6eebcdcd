public import FaultlineCore

extension Report.Verdict {
    /// What a report says in place of hypotheses when it has none, the same in every format that
    /// prints prose (text, Markdown, HTML): a failure no signature explained, nothing failed, or nothing read.
    public var sentenceWithoutHypotheses: String {
        switch self {
        case .failure: "The build failed, but no known cause matched; read the failed step's output in the input."
        case .success: "Nothing failed."
        case .unknown: "Nothing to conclude: no input was recognised as a build log or capture with events."
        }
    }
}
