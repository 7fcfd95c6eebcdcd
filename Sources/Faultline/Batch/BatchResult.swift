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

    /// Whether an input of the case could not be read.
    public var hasUnreadableInput: Bool { report.inputs.contains(where: \.failed) }

    /// One NDJSON line (without its newline):
    /// `{"case": …, "inputs": […], "verdict": …, "report": <faultline.report/1>}`.
    public var line: String {
        var text = "{\"case\":" + JSONEscaping.quote(key) + ",\"inputs\":["
        text += inputs.map(JSONEscaping.quote).joined(separator: ",")
        text += "],\"verdict\":\"" + report.verdict.rawValue + "\",\"report\":"
        text += BatchDatabase.reportJSON(self)
        text += "}"
        return text
    }
}
