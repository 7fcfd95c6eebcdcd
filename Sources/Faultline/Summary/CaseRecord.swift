import Foundation

/// What `faultline summary` needs of one case of a batch, taken from its
/// NDJSON line or its database row: the key, the verdict, the top
/// hypothesis's cause, layer and subjects, and the day it happened.
public struct CaseRecord: Sendable, Hashable {
    public var key: String
    public var verdict: String
    /// The top hypothesis's cause, `none` when nothing failed.
    public var cause: String
    public var layer: String?
    public var subjects: [String: String]
    /// `YYYY-MM-DD` (UTC) of the earliest absolute evidence time, else of the first input's
    /// modification time on disk, else nil (undated).
    public var day: String?
    /// The file `batch --reports DIR` wrote the case's report to (NDJSON's `report_file`).
    public var reportFile: String?

    public init(key: String, verdict: String, cause: String, layer: String? = nil,
                subjects: [String: String] = [:], day: String? = nil) {
        self.key = key
        self.verdict = verdict
        self.cause = cause
        self.layer = layer
        self.subjects = subjects
        self.day = day
    }

    /// Reads a record from a `faultline.report/1` object under `key`; nil when it is not one.
    static func from(key: String, report: [String: Any]) -> CaseRecord? {
        guard let verdict = report["verdict"] as? String else { return nil }
        let top = (report["hypotheses"] as? [[String: Any]])?.first
        var record = CaseRecord(key: key, verdict: verdict, cause: top?["cause"] as? String ?? "none",
                                layer: top?["layer"] as? String,
                                subjects: (top?["subjects"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String })
        var earliest: String?
        for hypothesis in report["hypotheses"] as? [[String: Any]] ?? [] {
            for evidence in hypothesis["evidence"] as? [[String: Any]] ?? [] {
                if let time = evidence["time"] as? String, time.count >= 10, earliest.map({ time < $0 }) ?? true {
                    earliest = time
                }
            }
        }
        if let earliest {
            record.day = String(earliest.prefix(10))
        } else {
            let inputs = (report["inputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
            record.day = inputs.lazy.compactMap(Self.modificationDay).first
        }
        return record
    }

    /// The UTC day a file (or the archive a member is in) was last modified.
    static func modificationDay(_ path: String) -> String? {
        let onDisk = path.range(of: "!/").map { String(path[..<$0.lowerBound]) } ?? path
        var info = stat()
        guard stat(onDisk, &info) == 0 else { return nil }
        var seconds = time_t(info.st_mtim.tv_sec)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return nil }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }
}
