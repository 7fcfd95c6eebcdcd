public import FaultlineCore

/// What `ThreadDumpInspector` found in a set of inputs: one summary per dump and one for the series.
public struct ThreadDumpInspection: Sendable {
    /// An input and how many dumps it held.
    public struct Input: Sendable {
        public var path: String
        public var format: String
        public var dumps: Int
    }

    public static let schema = "faultline.jstack/1"
    /// The zone local timestamp lines were read in.
    public var timeZone: String
    public var inputs: [Input] = []
    public var dumps: [DumpSummary] = []
    public var series = SeriesSummary()
    public var diagnostics: [Diagnostic] = []

    public init(timeZone: String) {
        self.timeZone = timeZone
    }

    /// Some input could not be read at all.
    public var hasUnreadableInput: Bool { inputs.contains { $0.format == "unreadable" } }
}
