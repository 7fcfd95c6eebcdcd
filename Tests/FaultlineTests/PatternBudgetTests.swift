import Foundation
import Testing
import Faultline
@testable import FaultlineRules

/// A rule pattern that backtracks catastrophically is stopped on the first line it overruns,
/// reported once with its pipeline file and line, and the rest of the case goes on.
@Suite("Pattern time budget")
struct PatternBudgetTests {
    static let slowPack = """
        pack: slow
        description: A rule whose pattern backtracks catastrophically.
        signatures:
          - id: slow.nested
            cause: disk_full
            all: ["aaaa"]
            pattern: '^(a+)+$'
            examples: ["aaaa"]
        """

    /// A `--pipelines DIR` overlay: the default pipeline with the slow pack tried first. Each test
    /// names its own (`test`): the tests of a suite run at once, and one wiping the other's folder
    /// took its log away mid-run.
    static func overlay(_ test: String) throws -> String {
        let dir = try BatchSupport.scratchFolder("pattern-budget-" + test)
        let pipeline = try String(contentsOfFile: TestSupport.pipelines + "/default.yaml", encoding: .utf8)
        let withSlow = pipeline.replacingOccurrences(of: "packs:\n", with: "packs:\n  - rules/slow.yaml\n")
        #expect(withSlow != pipeline)
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        try Data(withSlow.utf8).write(to: URL(fileURLWithPath: dir + "/default.yaml"))
        try Data(slowPack.utf8).write(to: URL(fileURLWithPath: dir + "/rules/slow.yaml"))
        return dir
    }

    @Test("A runaway pattern in an overlay pack costs one line, is reported once at its file:line, and the run carries on")
    func overlayRule() throws {
        let dir = try Self.overlay("analyzer")
        let log = dir + "/build.log"
        // 30 a's and a `!`: 2^30 ways to split the a's before ^(a+)+$ fails — seconds a line unbounded.
        let slowLine = String(repeating: "a", count: 30) + "!\n"
        try Data((String(repeating: slowLine, count: 2000) + "write /go/pkg/mod/cache/x: no space left on device\n").utf8)
            .write(to: URL(fileURLWithPath: log))
        let knowledge = try Analyzer.loadKnowledge(library: .standard(extra: [dir], environment: [:]))
        #expect(knowledge.signatures.first?.id == "slow.nested")

        let clock = ContinuousClock()
        let started = clock.now
        let report = Analyzer(knowledge: knowledge).analyze(paths: [log])
        let elapsed = clock.now - started
        #expect(elapsed < .seconds(20), "took \(elapsed)")

        let overruns = report.diagnostics.filter { $0.code == "rule.pattern-budget" }
        #expect(overruns.count == 1, "\(report.diagnostics)")
        #expect(overruns.first?.input == dir + "/rules/slow.yaml")
        #expect(overruns.first?.line == 4)
        #expect(overruns.first?.message.contains("'slow.nested'") == true)
        #expect(overruns.first?.message.contains("line 1 of \(log)") == true)
        // The other rules still ran: the last line is the built-in disk-full signature's.
        #expect(report.hypotheses.first?.cause == "disk_full")
    }

    @Test("The CLI prints the overrun as a warning at the rule's file:line")
    func cliWarning() throws {
        let dir = try Self.overlay("cli")
        let log = dir + "/build.log"
        try Data(String(repeating: String(repeating: "a", count: 30) + "!\n", count: 200).utf8).write(to: URL(fileURLWithPath: log))
        let outcome = try CLIProcess.run(["analyze", "--pipelines", dir, log])
        let output = outcome.stdout + outcome.stderr
        #expect(output.contains("rules/slow.yaml:4"), "\(output)")
        #expect(output.contains("rule.pattern-budget"), "\(output)")
    }

    @Test("Catastrophic patterns are stopped near their limit; ordinary ones answer as before")
    func bounded() throws {
        let limit = Duration.milliseconds(20)
        for (pattern, text) in [("^(a+)+$", String(repeating: "a", count: 32) + "!"),
                                ("(a|aa)+$", String(repeating: "a", count: 60) + "!"),
                                ("(x+x+)+y", String(repeating: "x", count: 40))] {
            let regex = try NSRegularExpression(pattern: pattern)
            let clock = ContinuousClock()
            let started = clock.now
            let outcome = BoundedRegex.firstMatch(regex, in: text, range: NSRange(location: 0, length: text.utf16.count), limit: limit)
            #expect(clock.now - started < .milliseconds(500), "\(pattern)")
            guard case .overran = outcome else {
                Issue.record("\(pattern) was not stopped: \(outcome)")
                continue
            }
        }
        let lookup = try NSRegularExpression(pattern: "lookup (?<host>[^\\s]+) on (?<nameserver>[^\\s]+):")
        let line = "dial tcp: lookup proxy.golang.org on 10.96.0.10:53: i/o timeout"
        guard case .matched(let found) = BoundedRegex.firstMatch(lookup, in: line, range: NSRange(location: 0, length: line.utf16.count),
                                                                 limit: limit) else {
            Issue.record("an ordinary pattern did not match")
            return
        }
        #expect((line as NSString).substring(with: found.range(withName: "host")) == "proxy.golang.org")
        let other = "nothing to see " + String(repeating: "x", count: 8000)
        guard case .none = BoundedRegex.firstMatch(lookup, in: other, range: NSRange(location: 0, length: other.utf16.count),
                                                   limit: limit) else {
            Issue.record("an ordinary pattern matched where it should not")
            return
        }
    }

    @Test("A signature that overran is passed over on later lines of the same budget, and the line goes on to the next rule")
    func passedOver() {
        var slow = TestSupport.knowledge.signatures[0]
        slow.id = "slow.first"
        slow.all = ["aaaa"]
        slow.none = []
        slow.anchor = "aaaa"
        slow.pattern = "^(a+)+$"
        var plain = slow
        plain.id = "plain.second"
        plain.pattern = "a{4}"
        let matcher = SignatureMatcher(signatures: [slow, plain])
        var budget = PatternBudget(limit: .milliseconds(10))
        let line = String(repeating: "a", count: 30) + "!"
        #expect(matcher.match(line, budget: &budget)?.signature.id == "plain.second")
        #expect(budget.diagnostics.count == 1)
        #expect(!budget.allows(0) && budget.allows(1))
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<1000 { #expect(matcher.match(line, budget: &budget)?.signature.id == "plain.second") }
        #expect(clock.now - started < .seconds(2))
        #expect(budget.diagnostics.count == 1)
    }
}
