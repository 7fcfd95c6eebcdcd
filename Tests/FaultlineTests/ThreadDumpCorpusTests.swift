import Foundation
import Testing
import Faultline
import FaultlineDecode
import FaultlineInput

/// The thread dumps from the wild under `Tests/FaultlineTests/Corpus/dumps/`: dumps and
/// fragments people pasted into issue threads and that thread-dump tools keep as test
/// data (see its README.md). `cases.json` says, per file, the form, dumps and threads a
/// reader must find, the verdict and cause, and the key subjects.
///
/// The floors below are what Faultline reaches today; a change that lowers one fails
/// here, with every miss named.
@Suite("Thread dumps from the wild")
struct ThreadDumpCorpusTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        struct Subjects: Decodable, Sendable {
            var members: [String]?
            var owner: String?
            var thread: String?
        }
        var file: String
        var source: String
        var licence: String
        var form: String
        var dumps: Int
        var threads: Int
        var verdict: String
        var cause: String
        var also_acceptable: [String]?
        var subjects: Subjects?
        var diagnostic: String?
        var shows: String

        var testDescription: String { file }
    }

    /// What reading and analysing one file gave.
    struct Outcome: Sendable {
        var item: Case
        var forms: Set<String>
        var dumps: Int
        var threads: Int
        var verdict: String
        var top: String
        var diagnostics: [String]
        var right: Bool { verdict == item.verdict && (top == item.cause || (item.also_acceptable ?? []).contains(top)) }
    }

    static var folder: URL { TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Corpus/dumps") }

    static let cases: [Case] = {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("cases.json").path) else { return [] }
        return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
    }()

    /// The file's bytes as an input reader hands them out (gunzipped, UTF-16 turned into UTF-8).
    static func bytes(_ path: String) -> [UInt8] {
        guard let reader = try? InputReader(path: path) else { return [] }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { (try? reader.read(into: $0)) ?? 0 }
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    static let outcomes: [Outcome] = cases.map { item in
        let path = folder.appendingPathComponent(item.file).path
        let (dumps, _) = JstackSupport.read(bytes(path), path: item.file)
        let report = TestSupport.analyze([path])
        let top = report.hypotheses.first
        return Outcome(item: item, forms: Set(dumps.map(\.dump.form.rawValue)), dumps: dumps.count,
                       threads: dumps.reduce(0) { $0 + $1.dump.threads.count }, verdict: report.verdict.rawValue,
                       top: top?.cause ?? "none", diagnostics: report.diagnostics.map(\.code))
    }

    static func describe(_ misses: [Outcome]) -> String {
        misses.map { "\($0.item.file): want \($0.item.verdict)/\($0.item.cause), got \($0.verdict)/\($0.top)" }.joined(separator: "\n")
    }

    @Test("at least 40 files, each with its provenance, and every form the issue names")
    func coverage() throws {
        #expect(Self.cases.count >= 40)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0 != "cases.json" && $0 != "README.md" }
        #expect(Set(files) == Set(Self.cases.map(\.file)), "the manifest lists every file of the folder")
        for item in Self.cases {
            #expect(item.source.hasPrefix("https://github.com/"), "\(item.file): source")
            #expect(!item.licence.isEmpty && !item.shows.isEmpty, "\(item.file): licence and what it shows")
        }
        #expect(Set(Self.cases.map(\.form)).isSuperset(of: ["jstack", "jrockit", "javacore", "threadinfo", "visualvm", "jstack-f"]))
        let causes = Set(Self.cases.map(\.cause))
        #expect(causes.isSuperset(of: ["jvm_deadlock", "jvm_lock_contention", "jvm_shutdown_hang", "none"]))
        #expect(Self.cases.filter { $0.verdict == "success" }.count >= 20, "healthy dumps, for false alarms")
    }

    @Test("every file is read: its form, its dumps and its threads", arguments: cases)
    func read(_ item: Case) throws {
        let outcome = try #require(Self.outcomes.first { $0.item.file == item.file })
        #expect(outcome.dumps == item.dumps, "dumps")
        #expect(outcome.threads == item.threads, "threads")
        if item.threads > 0 { #expect(outcome.forms == [item.form], "form") }
        if let code = item.diagnostic {
            #expect(outcome.diagnostics.contains(code), "expected diagnostic \(code), got \(outcome.diagnostics)")
        }
    }

    @Test("the right verdict and cause on at least 95% of the files, and no false alarm on a healthy one")
    func causes() {
        let right = Self.outcomes.filter(\.right)
        #expect(Double(right.count) >= 0.95 * Double(Self.outcomes.count), "\(Self.describe(Self.outcomes.filter { !$0.right }))")
        let healthy = Self.outcomes.filter { $0.item.verdict == "success" }
        let alarms = healthy.filter { $0.top != "none" }
        #expect(alarms.isEmpty, "\(Self.describe(alarms))")
    }

    @Test("a file in which no thread could be read is never healthy")
    func unreadIsNeverHealthy() {
        let unread = Self.outcomes.filter { $0.threads == 0 }
        #expect(!unread.isEmpty)
        for outcome in unread {
            #expect(outcome.verdict == "unknown", "\(outcome.item.file)")
            #expect(outcome.diagnostics.contains { ThreadDumpDecoder.unreadCodes.contains($0) }, "\(outcome.item.file)")
        }
    }

    @Test("the key subjects: a deadlock's members, a contended lock's owner", arguments: cases.filter { $0.subjects != nil })
    func subjects(_ item: Case) throws {
        let path = Self.folder.appendingPathComponent(item.file).path
        let report = TestSupport.analyze([path])
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == item.cause)
        if let members = item.subjects?.members {
            let cycle = top.subjects["cycle"] ?? ""
            for member in members { #expect(cycle.contains("\"\(member)\""), "\(member) in \(cycle)") }
            #expect(top.subjects["threads"] == String(members.count))
        }
        if let owner = item.subjects?.owner { #expect(top.subjects["owner"] == owner) }
        if let thread = item.subjects?.thread { #expect(top.subjects["thread"] == thread) }
    }
}
