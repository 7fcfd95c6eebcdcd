import Foundation
import Testing
import Faultline

/// The real-log corpora under `Tests/FaultlineTests/Corpus/`: failing CI builds of public
/// Go, JavaScript and TypeScript projects (`ci/`, from LogChunks, LogSage and issue threads)
/// and build logs people pasted in public threads (`wild/`). Each `cases.json` says the
/// verdict, the cause and, for CI logs, the lines a person would point at.
///
/// The floors below are what Faultline reaches today; a change that lowers one fails here,
/// with every miss named.
@Suite("Real logs from public sources")
struct RealLogCorpusTests {
    struct Case: Decodable, Sendable {
        struct Region: Decodable, Sendable { var first: Int; var last: Int }
        var file: String
        var verdict: String
        var cause: String
        var also_acceptable: [String]?
        var region: Region?
        var lead: String
    }

    struct Outcome: Sendable {
        var item: Case
        var verdict: String
        var top: String
        var hypotheses: Int
        var firstEvidenceLine: Int?
        var right: Bool { verdict == item.verdict && (top == item.cause || (item.also_acceptable ?? []).contains(top)) }
        var inRegion: Bool? {
            guard let region = item.region else { return nil }
            return firstEvidenceLine.map { (region.first...region.last).contains($0) } ?? false
        }
    }

    static func run(_ set: String) -> [Outcome] {
        let folder = TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Corpus/\(set)")
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("cases.json").path),
              let cases = try? JSONDecoder().decode([Case].self, from: data) else { return [] }
        return cases.map { item in
            let report = TestSupport.analyze([folder.appendingPathComponent(item.file).path])
            let top = report.hypotheses.first
            return Outcome(item: item, verdict: report.verdict.rawValue, top: top?.cause ?? "none",
                           hypotheses: report.hypotheses.count, firstEvidenceLine: top?.evidence.lazy.compactMap(\.line).first)
        }
    }

    static let ci = run("ci")
    static let wild = run("wild")

    static func describe(_ misses: [Outcome]) -> String {
        misses.map { "\($0.item.file): want \($0.item.verdict)/\($0.item.cause), got \($0.verdict)/\($0.top)" }.joined(separator: "\n")
    }

    @Test("the CI corpus: at least 60 failing logs and 10 healthy ones, each with its region and lead line")
    func ciCoverage() throws {
        let failing = Self.ci.filter { $0.item.verdict == "failure" }
        #expect(failing.count >= 60)
        #expect(Self.ci.count - failing.count >= 10)
        let folder = TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Corpus/ci")
        for outcome in failing {
            let region = try #require(outcome.item.region, "\(outcome.item.file) has no region")
            // Split bytes, not Characters: a CRLF is one Character and would hide the line break.
            let bytes = try Data(contentsOf: folder.appendingPathComponent(outcome.item.file))
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            try #require(region.first >= 1 && region.first <= region.last && region.first <= lines.count,
                         "\(outcome.item.file): region \(region.first)-\(region.last) is not inside its \(lines.count) lines")
            let labelled = lines[(region.first - 1)..<min(lines.count, region.last)].joined(separator: "\n")
            #expect(labelled.contains(outcome.item.lead), "\(outcome.item.file): the lead line is not in its region")
        }
    }

    @Test("a failed CI build is a failure, never 'nothing failed'")
    func ciFailuresAreFailures() {
        let failing = Self.ci.filter { $0.item.verdict == "failure" }
        let called = failing.filter { $0.verdict == "failure" }
        #expect(called.count == failing.count, "\(Self.describe(failing.filter { $0.verdict != "failure" }))")
    }

    @Test("on failing CI logs the cause is right on at least 84% and the top evidence is in the labelled region on at least 75%")
    func ciCausesAndEvidence() {
        let failing = Self.ci.filter { $0.item.verdict == "failure" }
        let right = failing.filter(\.right)
        #expect(Double(right.count) >= 0.84 * Double(failing.count), "\(Self.describe(failing.filter { !$0.right }))")
        let regions = failing.compactMap(\.inRegion)
        #expect(Double(regions.filter { $0 }.count) >= 0.75 * Double(regions.count),
                "\(regions.filter { $0 }.count) of \(regions.count) in region")
    }

    @Test("pasted logs from public threads: at least 80 logs, and the right cause on at least 95%")
    func wildCauses() {
        #expect(Self.wild.count >= 80)
        let right = Self.wild.filter(\.right)
        #expect(Double(right.count) >= 0.95 * Double(Self.wild.count), "\(Self.describe(Self.wild.filter { !$0.right }))")
    }

    @Test("healthy logs stay healthy: not one gets a hypothesis")
    func healthyStayHealthy() {
        let healthy = (Self.ci + Self.wild).filter { $0.item.verdict == "success" }
        #expect(healthy.count >= 20)
        let noisy = healthy.filter { $0.hypotheses > 0 || $0.verdict != "success" }
        #expect(noisy.isEmpty, "\(Self.describe(noisy))")
    }
}
