import Foundation
import Testing
import Faultline

/// What `Samples/go/<case>/expected.json` says the analysis must find.
struct SampleExpectation: Decodable, CustomTestStringConvertible, Sendable {
    struct EvidenceLine: Decodable, Sendable {
        var input: String
        var line: Int
        var contains: String
    }

    var verdict: String
    var cause: String
    var subjects: [String: String]
    var evidence: EvidenceLine?
    var wrapper: String
    /// The cause the build log alone supports where only the capture tells the real one.
    var log_only_cause: String?
    var folder: String?

    var testDescription: String { "\(folder ?? "?") (\(wrapper))" }

    static let all: [SampleExpectation] = {
        let base = TestSupport.samples.appendingPathComponent("go")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        return names.sorted().compactMap { name in
            let file = base.appendingPathComponent(name).appendingPathComponent("expected.json")
            guard let data = FileManager.default.contents(atPath: file.path),
                  var expectation = try? JSONDecoder().decode(SampleExpectation.self, from: data) else { return nil }
            expectation.folder = name
            return expectation
        }
    }()
}

@Suite("Real Go build samples")
struct SampleTests {
    @Test("there are real samples for at least eight failure classes and a healthy build")
    func coverage() {
        let causes = Set(SampleExpectation.all.map(\.cause)).subtracting(["none"])
        #expect(causes.count >= 8, "failure classes: \(causes.sorted())")
        #expect(SampleExpectation.all.contains { $0.verdict == "success" })
        #expect(Set(SampleExpectation.all.map(\.wrapper)).isSuperset(of: ["bare", "buildkit", "github-actions", "docker-legacy"]))
    }

    @Test("analyze names the expected top cause, subjects and evidence line", arguments: SampleExpectation.all)
    func sample(_ expected: SampleExpectation) throws {
        let folder = TestSupport.samples.appendingPathComponent("go").appendingPathComponent(expected.folder ?? "")
        let log = folder.appendingPathComponent("build.log").path
        let report = TestSupport.analyze([log])
        #expect(report.verdict.rawValue == expected.verdict)
        #expect(report.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(report.diagnostics)")
        guard expected.verdict == "failure" else {
            #expect(report.hypotheses.isEmpty, "a healthy build must get no hypotheses: \(report.hypotheses.map(\.cause))")
            return
        }
        let top = try #require(report.hypotheses.first, "no hypothesis for a failing build")
        #expect(top.cause == (expected.log_only_cause ?? expected.cause))
        if expected.log_only_cause == nil {
            for (key, value) in expected.subjects {
                #expect(top.subjects[key] == value, "subject \(key)")
            }
        }
        let evidence = try #require(expected.evidence)
        let first = try #require(top.evidence.first)
        #expect(first.input == log)
        #expect(first.line == evidence.line)
        #expect(first.text.contains(evidence.contains), "evidence text: \(first.text)")
        #expect(top.confidence > 0.5 && top.confidence < 1)
        #expect(!top.remediation.isEmpty)
        #expect(!top.verify.isEmpty)
        if ["buildkit", "docker-legacy", "github-actions", "podman"].contains(expected.wrapper) {
            #expect(top.explains.contains("build_step_failed"), "the failed step is explained by the cause")
            #expect(top.evidence.contains { $0.role == "step failed" })
        }
    }

    @Test("the same sample gzip-compressed gives the same report")
    func gzipSample() throws {
        let log = TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log").path
        let data = try #require(FileManager.default.contents(atPath: log))
        let gz = try TestSupport.scratchFile("dns-unreachable.log.gz", Gzip.compress(Array(data)))
        let plain = TestSupport.analyze([log])
        let compressed = TestSupport.analyze([gz])
        #expect(compressed.hypotheses.map(\.cause) == plain.hypotheses.map(\.cause))
        #expect(compressed.hypotheses.first?.evidence.first?.line == plain.hypotheses.first?.evidence.first?.line)
        #expect(compressed.inputs.first?.lines == plain.inputs.first?.lines)
    }
}
