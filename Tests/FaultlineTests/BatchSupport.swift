import Foundation
import Faultline

/// Builds batch fixtures: archives of the real samples (written through libarchive by
/// `ArchiveWriter`), and runs of `BatchRunner` collected into rows.
enum BatchSupport {
    /// A fresh scratch folder.
    static func scratchFolder(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-batch-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    /// The files of `Samples/<group>/<case>/` for the cases named, as archive members `<prefix><case>/<file>`.
    static func sampleMembers(_ group: String, cases: [String], prefix: String = "") throws -> [(String, [UInt8])] {
        var members: [(String, [UInt8])] = []
        for name in cases {
            let folder = TestSupport.samples.appendingPathComponent(group).appendingPathComponent(name)
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where !file.hasPrefix(".") {
                let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
                members.append((prefix + name + "/" + file, Array(bytes)))
            }
        }
        return members
    }

    static func writeArchive(_ path: String, kind: ArchiveWriter.Kind, members: [(String, [UInt8])]) throws {
        let writer = try ArchiveWriter(path: path, kind: kind)
        for (name, bytes) in members { try writer.add(name, bytes) }
        try writer.close()
    }

    /// Runs a batch and returns its results (in emit order) and its summary.
    static func run(_ paths: [String], _ configure: (inout BatchOptions) -> Void = { _ in }) throws
        -> (results: [BatchResult], summary: BatchSummary) {
        var options = BatchOptions(jobs: 2)
        configure(&options)
        let runner = try BatchRunner(knowledge: TestSupport.knowledge, options: options)
        let collected = Collected()
        let summary = runner.run(paths: paths) { collected.append($0) }
        return (collected.results, summary)
    }

    /// Results gathered from worker threads (`emit` is never called twice at once, but from any thread).
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [BatchResult] = []
        func append(_ result: BatchResult) { lock.withLock { items.append(result) } }
        var results: [BatchResult] { lock.withLock { items } }
    }

    static func json(_ report: Report) -> String { JSONReportRenderer(pretty: false).render(report) }

    static func topCause(_ report: Report) -> String { report.hypotheses.first?.cause ?? "none" }

    /// The sample cases used by the archive tests: Go and npm, with and without captures, one healthy.
    static let goCases = ["dns-refused", "dns-unreachable", "module-404", "healthy", "gomod-missing", "tls-untrusted"]
    static let npmCases = ["dns-nxdomain", "registry-401", "yarn-healthy"]
}
