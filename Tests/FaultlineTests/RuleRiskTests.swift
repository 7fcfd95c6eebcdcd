import Foundation
import Testing
@testable import FaultlineRules

/// A rule that can stall matching is told before it runs, a cycle in
/// `explains` is refused, and a pattern never sees more than its window.
@Suite("Rules that could stall or loop")
struct RuleRiskTests {
    @Test("Nested quantifiers are found; atomic, possessive and single ones are not")
    func nested() {
        #expect(PatternRisk.nestedQuantifiers(in: "^(a+)+$") == [4])
        #expect(!PatternRisk.nestedQuantifiers(in: "(?:\\w*\\s?)*x").isEmpty)
        #expect(!PatternRisk.nestedQuantifiers(in: "((ab)+c)*").isEmpty)
        #expect(!PatternRisk.nestedQuantifiers(in: "(x{2,})+").isEmpty)
        #expect(PatternRisk.nestedQuantifiers(in: "(?>a+)+").isEmpty)
        #expect(PatternRisk.nestedQuantifiers(in: "(a++)+").isEmpty)
        #expect(PatternRisk.nestedQuantifiers(in: "(a+)?b").isEmpty)
        #expect(PatternRisk.nestedQuantifiers(in: "(a{1,3})+").isEmpty)
        #expect(PatternRisk.nestedQuantifiers(in: "[(a+)]+ \\(a+\\)+").isEmpty)
        #expect(PatternRisk.nestedQuantifiers(in: "lookup (?<host>[^\\s]+) on (?<nameserver>[^\\s]+):").isEmpty)
    }

    /// A pipeline of one pack (a copy of the default catalogue, edited by `edit`) in a scratch folder.
    static func pipeline(_ name: String, catalogue edit: (String) -> String, pack: String) throws -> String {
        let dir = try BatchSupport.scratchFolder(name)
        let catalogue = try String(contentsOfFile: TestSupport.pipelines + "/causes.yaml", encoding: .utf8)
        try Data(edit(catalogue).utf8).write(to: URL(fileURLWithPath: dir + "/causes.yaml"))
        try Data(pack.utf8).write(to: URL(fileURLWithPath: dir + "/pack.yaml"))
        try Data("pipeline: risky\ndescription: One risky pack.\ncatalogue: causes.yaml\npacks:\n  - pack.yaml\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/risky.yaml"))
        return dir + "/risky.yaml"
    }

    static let riskyPack = """
        pack: risky
        description: A rule with catastrophic backtracking.
        signatures:
          - id: risky.nested
            cause: disk_full
            all: ["no space left"]
            pattern: '^(a+)+no space left$'
            examples: ["aaaano space left"]
        """

    @Test("pipelines validate warns about a nested quantifier, naming the rule's file and line")
    func validateWarns() throws {
        let path = try Self.pipeline("risky", catalogue: { $0 }, pack: Self.riskyPack)
        let outcome = try CLIProcess.run(["pipelines", "validate", "--pipeline", path])
        let warning = outcome.stderr.split(separator: "\n").first { $0.contains("nested quantifier") }
        #expect(warning?.contains("pack.yaml:4: warning: signature 'risky.nested'") == true, "\(outcome.stderr)")
        #expect(outcome.status == 0)
    }

    @Test("A cycle in explains is refused when the catalogue loads")
    func cycle() throws {
        let path = try Self.pipeline("cycle", catalogue: { text in
            text.replacingOccurrences(of: "  build_step_failed:\n    layer: build\n", with: "  build_step_failed:\n    layer: build\n    explains: [disk_full]\n")
        }, pack: Self.riskyPack)
        let catalogue = try String(contentsOfFile: (path as NSString).deletingLastPathComponent + "/causes.yaml", encoding: .utf8)
        #expect(catalogue.contains("explains: [disk_full]"))
        #expect(throws: RuleErrors.self) { try KnowledgeBaseLoader.load(pipeline: path, directory: TestSupport.pipelines) }
        let outcome = try CLIProcess.run(["pipelines", "validate", "--pipeline", path])
        #expect(outcome.status == 4)
        #expect((outcome.stdout + outcome.stderr).contains("'explains' makes a cycle"))
    }

    @Test("A pattern sees the window around its anchor, not the whole of a long line")
    func window() {
        let long = String(repeating: "x", count: 100_000) + " no space left on device " + String(repeating: "y", count: 100_000)
        let range = SignatureMatcher.window(long, around: "no space left")
        #expect(range.length == SignatureMatcher.patternWindow)
        #expect(range.location < 100_000 && range.location + range.length > 100_024)
        let matcher = SignatureMatcher(signatures: TestSupport.knowledge.signatures)
        #expect(matcher.match("write /go/pkg/mod/cache: no space left on device " + String(repeating: "z", count: 50_000))?.signature.cause == "disk_full")
    }
}
