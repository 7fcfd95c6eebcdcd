public import FaultlineCore
import FaultlineReport

/// The outcome of one case of a batch: its key, the names of its inputs, its
/// report, and the NDJSON line that carries them.
public struct BatchResult: Sendable {
    public var key: String
    /// The inputs' names as the report shows them (`logs.tgz!/run-7/build.log` for archive members).
    public var inputs: [String]
    public var report: Report
    /// The case's position in the batch's order (key order with `sorted`).
    public var rank: Int
    /// A content hash of the case's inputs, for `--resume`.
    public var fingerprint: String
    /// Where `--reports DIR` wrote the case's report, or why it could not.
    public var reportFile: String?
    public var reportFileFailure: CaseReportFolder.Failure?

    /// Whether an input of the case could not be read.
    public var hasUnreadableInput: Bool { report.inputs.contains(where: \.failed) }

    /// One NDJSON line (without its newline):
    /// `{"case": …, "inputs": […], "verdict": …, "report_file": …, "report": <faultline.report/1>}`
    /// (`report_file` only with `--reports DIR`).
    public var line: String {
        var text = "{\"case\":" + JSONEscaping.quote(key) + ",\"inputs\":["
        text += inputs.map(JSONEscaping.quote).joined(separator: ",")
        text += "],\"verdict\":\"" + report.verdict.rawValue + "\","
        if let reportFile { text += "\"report_file\":" + JSONEscaping.quote(reportFile) + "," }
        text += "\"report\":"
        text += BatchDatabase.reportJSON(self)
        text += "}"
        return text
    }
}
