import Foundation
import GRDB

/// A batch's results in SQLite (through GRDB): one row per case in `cases`
/// (key, input fingerprint, Faultline version and commit, pipeline and rule packs'
/// version, verdict, top cause, the full report), and its `inputs`, `hypotheses` and `evidence` rows. Each
/// case is written in one transaction, replacing an older row of the same key,
/// so a batch killed at any moment leaves only whole cases behind, and
/// `--resume` can skip those whose fingerprint, version and pipeline match.
public final class BatchDatabase: Sendable {
    private let queue: DatabaseQueue

    /// Opens (creating when needed) the database at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL: a commit survives the process being killed; NORMAL: no fsync per case.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in try Self.createTables(db) }
    }

    private static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS cases (
                key TEXT PRIMARY KEY NOT NULL,
                fingerprint TEXT NOT NULL,
                faultline_version TEXT NOT NULL,
                pipeline TEXT NOT NULL,
                faultline_commit TEXT,
                verdict TEXT NOT NULL,
                top_cause TEXT NOT NULL,
                top_layer TEXT,
                confidence REAL,
                unreadable INTEGER NOT NULL,
                report_json TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS inputs (
                case_key TEXT NOT NULL REFERENCES cases(key) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                path TEXT NOT NULL,
                format TEXT NOT NULL,
                bytes INTEGER NOT NULL,
                events INTEGER NOT NULL,
                failed INTEGER NOT NULL,
                PRIMARY KEY (case_key, position)
            );
            CREATE TABLE IF NOT EXISTS hypotheses (
                case_key TEXT NOT NULL REFERENCES cases(key) ON DELETE CASCADE,
                rank INTEGER NOT NULL,
                cause TEXT NOT NULL,
                layer TEXT NOT NULL,
                confidence REAL NOT NULL,
                title TEXT NOT NULL,
                subjects_json TEXT NOT NULL,
                PRIMARY KEY (case_key, rank)
            );
            CREATE TABLE IF NOT EXISTS evidence (
                case_key TEXT NOT NULL REFERENCES cases(key) ON DELETE CASCADE,
                hypothesis_rank INTEGER NOT NULL,
                position INTEGER NOT NULL,
                input TEXT NOT NULL,
                line INTEGER,
                frame INTEGER,
                time TEXT,
                text TEXT NOT NULL,
                PRIMARY KEY (case_key, hypothesis_rank, position)
            );
            """)
        // Databases written before the commit was recorded get the column (NULL in their rows).
        let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(cases)").map { $0["name"] as String }
        if !columns.contains("faultline_commit") {
            try db.execute(sql: "ALTER TABLE cases ADD COLUMN faultline_commit TEXT")
        }
    }

    /// Stores one case (replacing the row of the same key) in one transaction.
    public func store(_ result: BatchResult, pipeline: String) throws {
        let report = result.report
        let top = report.hypotheses.first
        let json = Self.reportJSON(result)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM cases WHERE key = ?", arguments: [result.key])
            try db.execute(sql: "DELETE FROM inputs WHERE case_key = ?", arguments: [result.key])
            try db.execute(sql: "DELETE FROM hypotheses WHERE case_key = ?", arguments: [result.key])
            try db.execute(sql: "DELETE FROM evidence WHERE case_key = ?", arguments: [result.key])
            try db.execute(sql: """
                INSERT INTO cases (key, fingerprint, faultline_version, pipeline, faultline_commit, verdict, top_cause,
                                   top_layer, confidence, unreadable, report_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [result.key, result.fingerprint, FaultlineVersion.current, pipeline, FaultlineVersion.commit,
                                 report.verdict.rawValue, top?.cause ?? "none", top?.layer.rawValue,
                                 top?.confidence, result.hasUnreadableInput ? 1 : 0, json])
            for (position, input) in report.inputs.enumerated() {
                try db.execute(sql: "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [result.key, position, input.path, input.format, input.bytes, input.events,
                                           input.failed ? 1 : 0])
            }
            for (rank, hypothesis) in report.hypotheses.enumerated() {
                let subjects = "{" + hypothesis.subjects.sortedKeys.map { key in
                    JSONEscaping.quote(key) + ":" + JSONEscaping.quote(hypothesis.subjects[key] ?? "")
                }.joined(separator: ",") + "}"
                try db.execute(sql: "INSERT INTO hypotheses VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [result.key, rank, hypothesis.cause, hypothesis.layer.rawValue,
                                           hypothesis.confidence, hypothesis.title, subjects])
                for (position, evidence) in hypothesis.evidence.enumerated() {
                    let time = evidence.time.clock == .absolute || evidence.time.clock == .arrival
                        ? evidence.time.seconds.map(Timestamp.formatRFC3339) : nil
                    try db.execute(sql: "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [result.key, rank, position, evidence.input, evidence.line, evidence.frame,
                                               time, evidence.text])
                }
            }
        }
    }

    /// The stored cases' fingerprints, versions and pipelines, by key, for `--resume`.
    public func stored() throws -> [String: String] {
        try queue.read { db in
            var stored: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT key, fingerprint, faultline_version, pipeline FROM cases")
            while let row = try rows.next() {
                let key: String = row["key"]
                let fingerprint: String = row["fingerprint"]
                let version: String = row["faultline_version"]
                let pipeline: String = row["pipeline"]
                stored[key] = Self.resumeStamp(fingerprint: fingerprint, version: version, pipeline: pipeline)
            }
            return stored
        }
    }

    /// Which build made each stored case, by key: Faultline's version, its commit (nil for rows
    /// stored before commits were recorded) and the pipeline with its rule packs' version.
    public func provenance() throws -> [String: (version: String, commit: String?, rules: String)] {
        try queue.read { db in
            var found: [String: (version: String, commit: String?, rules: String)] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT key, faultline_version, faultline_commit, pipeline FROM cases")
            while let row = try rows.next() {
                found[row["key"]] = (row["faultline_version"], row["faultline_commit"], row["pipeline"])
            }
            return found
        }
    }

    /// What must match for `--resume` to skip a case.
    public static func resumeStamp(fingerprint: String, version: String = FaultlineVersion.current, pipeline: String) -> String {
        fingerprint + " " + version + " " + pipeline
    }

    /// How many cases the database at `path` holds, read without writing (another process may be writing it).
    public static func caseCount(at path: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM cases") ?? 0
        }
    }

    /// Every stored case as a summary record.
    static func records(at path: String) throws -> [CaseRecord] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            var records: [CaseRecord] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT key, report_json FROM cases ORDER BY key")
            while let row = try rows.next() {
                let key: String = row["key"]
                let json: String = row["report_json"]
                guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                      let record = CaseRecord.from(key: key, report: object) else { continue }
                records.append(record)
            }
            return records
        }
    }

    /// The compact `faultline.report/1` of a result.
    static func reportJSON(_ result: BatchResult) -> String {
        var json = JSONReportRenderer(pretty: false).render(result.report)
        while json.last == "\n" { json.removeLast() }
        return json
    }

    /// Every row of every table as text, in key order: what two runs are compared by.
    public func dump() throws -> [String] {
        try queue.read { db in
            var lines: [String] = []
            for (table, order) in [("cases", "key"), ("inputs", "case_key, position"), ("hypotheses", "case_key, rank"),
                                   ("evidence", "case_key, hypothesis_rank, position")] {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)")
                lines += rows.map { "\(table): \($0.description)" }
            }
            return lines
        }
    }
}
