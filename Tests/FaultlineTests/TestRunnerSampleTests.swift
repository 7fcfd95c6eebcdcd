import Foundation
import Testing
import Faultline

/// `Samples/tests/`: real `go test -v` and `npm test` (node's TAP runner) runs whose
/// builds fail — or pass — because of the code itself, while their tests print real
/// network errors (`Samples/scripts/make-test-samples.sh`).
@Suite("Real test-runner samples")
struct TestRunnerSampleTests {
    static let folders: [String] = {
        let base = TestSupport.samples.appendingPathComponent("tests")
        return ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []).sorted().map { base.appendingPathComponent($0).path }
    }()

    @Test("there are failing and passing runs of both runners")
    func coverage() {
        #expect(Self.folders.count >= 4)
    }

    @Test("the failing test is the cause and its lead evidence; a network error a test printed is not", arguments: folders)
    func sample(_ folder: String) throws {
        let data = try #require(FileManager.default.contents(atPath: folder + "/expected.json"))
        let expected = try JSONDecoder().decode(SampleExpectation.self, from: data)
        let report = TestSupport.analyze([folder + "/build.log"])
        #expect(report.verdict.rawValue == expected.verdict)
        guard expected.cause != "none" else {
            #expect(report.hypotheses.isEmpty, "\(report.hypotheses.map(\.cause))")
            return
        }
        #expect(report.hypotheses.count == 1, "\(report.hypotheses.map(\.cause))")
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == expected.cause)
        for (key, value) in expected.subjects { #expect(top.subjects[key] == value, "\(key)") }
        let lead = try #require(top.evidence.first)
        #expect(lead.line == expected.evidence?.line)
        #expect(lead.text.contains(expected.evidence?.contains ?? "?"))
        // The network error the tests printed is kept as evidence of the test failure, not as its own cause.
        #expect(top.evidence.contains { $0.role?.hasPrefix("inside the failing test's output") == true }
                || top.explains.contains { $0.hasPrefix("connection_") })
    }
}
