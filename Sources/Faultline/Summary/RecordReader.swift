import Foundation

/// Reads the case records of a batch's output: an NDJSON file (`faultline
/// batch --out`) or a database (`--db`), told apart by their first bytes.
/// A line that is not a case is counted, not fatal.
public enum RecordReader {
    /// What reading one file gave.
    public struct Outcome: Sendable {
        public var records: [CaseRecord] = []
        /// Lines (or rows) that held no case.
        public var skipped = 0
        /// Why the file could not be read at all.
        public var error: String?
    }

    public static func read(_ path: String) -> Outcome {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return Outcome(error: "\(path): cannot open")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.starts(with: Array("SQLite format 3".utf8)) {
            do {
                return Outcome(records: try BatchDatabase.records(at: path))
            } catch {
                return Outcome(error: "\(path): \(error)")
            }
        }
        try? handle.seek(toOffset: 0)
        var outcome = Outcome()
        var pending = Data()
        func line(_ bytes: Data) {
            guard !bytes.isEmpty else { return }
            guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any],
                  let key = object["case"] as? String, let report = object["report"] as? [String: Any],
                  var record = CaseRecord.from(key: key, report: report) else {
                outcome.skipped += 1
                return
            }
            record.reportFile = object["report_file"] as? String
            outcome.records.append(record)
        }
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0a) {
                line(pending[start..<newline])
                start = pending.index(after: newline)
            }
            pending = Data(pending[start...])
        }
        line(pending)
        return outcome
    }
}
