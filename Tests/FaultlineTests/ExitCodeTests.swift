import Foundation
import Testing
import Faultline

/// `--exit-code` and `--fail-on`: a CI step can gate on the verdict; without them the exit
/// status says only whether the analysis ran.
@Suite("Exit codes for CI gates")
struct ExitCodeTests {
    static let failing = "Samples/go/dns-refused"
    static let healthy = "Samples/go/healthy"

    /// A healthy build whose log has one line over the 1 MiB limit: a success with a warning diagnostic.
    static func healthyWithWarning() throws -> String {
        let log = try Data(contentsOf: TestSupport.samples.appendingPathComponent("go/healthy/build.log"))
        return try TestSupport.scratchFile("healthy-long-line.log", Array(log) + [UInt8](repeating: 0x78, count: 1_100_000) + [0x0A])
    }

    @Test("analyze: a failure exits 1 only when asked; success exits 0 at failure level")
    func analyze() throws {
        #expect(try CLIProcess.run(["analyze", "--quiet", Self.failing]).status == 0)
        #expect(try CLIProcess.run(["analyze", "--quiet", "--exit-code", Self.failing]).status == 1)
        #expect(try CLIProcess.run(["analyze", "--quiet", "--fail-on", "failure", Self.failing]).status == 1)
        #expect(try CLIProcess.run(["analyze", "--quiet", "--fail-on", "warning", Self.failing]).status == 1)
        #expect(try CLIProcess.run(["analyze", "--quiet", "--exit-code", Self.healthy]).status == 0)
        #expect(try CLIProcess.run(["analyze", "--quiet", "--fail-on", "warning", Self.healthy]).status == 0)
        let warned = try Self.healthyWithWarning()
        #expect(try CLIProcess.run(["analyze", "--quiet", "--exit-code", warned]).status == 0)
        #expect(try CLIProcess.run(["analyze", "--quiet", "--fail-on", "warning", warned]).status == 1)
        // The report is still printed in full; an unreadable input still says 3.
        let json = try CLIProcess.run(["analyze", "--quiet", "--exit-code", "--format", "json", Self.failing])
        #expect(json.stdout.contains("\"cause\": \"dns_refused\""))
        #expect(try CLIProcess.run(["analyze", "--quiet", "--exit-code", Self.failing, "/nonexistent/x.log"]).status == 3)
        #expect(try CLIProcess.run(["analyze", "--fail-on", "error", Self.failing]).status == 2)
    }

    @Test("the threshold in the library: failure verdicts, hypotheses and warning diagnostics")
    func threshold() throws {
        let failed = TestSupport.analyze([TestSupport.root.appendingPathComponent(Self.failing).path])
        let fine = TestSupport.analyze([TestSupport.root.appendingPathComponent(Self.healthy).path])
        let warned = TestSupport.analyze([try Self.healthyWithWarning()])
        #expect(FailureThreshold.failure.isReached(by: failed) && FailureThreshold.warning.isReached(by: failed))
        #expect(!FailureThreshold.failure.isReached(by: fine) && !FailureThreshold.warning.isReached(by: fine))
        #expect(warned.verdict == .success && warned.diagnostics.contains { $0.code == "line.too-long" })
        #expect(!FailureThreshold.failure.isReached(by: warned) && FailureThreshold.warning.isReached(by: warned))
    }

    @Test("watch and batch gate the same way; run turns a command's 0 into 1 only when asked")
    func liveAndBatch() throws {
        let log = try String(contentsOf: TestSupport.root.appendingPathComponent(Self.failing + "/build.log"), encoding: .utf8)
        #expect(try CLIProcess.run(["watch", "--status", "none"], stdin: log).status == 0)
        #expect(try CLIProcess.run(["watch", "--status", "none", "--exit-code"], stdin: log).status == 1)
        #expect(try CLIProcess.run(["batch", "--quiet", "--out", "/dev/null", Self.failing]).status == 0)
        #expect(try CLIProcess.run(["batch", "--quiet", "--out", "/dev/null", "--exit-code", Self.failing]).status == 1)
        #expect(try CLIProcess.run(["batch", "--quiet", "--out", "/dev/null", "--exit-code", Self.healthy]).status == 0)
        let script = "cat '\(TestSupport.root.path)/\(Self.failing)/build.log'"
        #expect(try CLIProcess.run(["run", "--status", "none", "--", "sh", "-c", script]).status == 0)
        #expect(try CLIProcess.run(["run", "--status", "none", "--exit-code", "--", "sh", "-c", script]).status == 1)
        #expect(try CLIProcess.run(["run", "--status", "none", "--exit-code", "--", "sh", "-c", script + "; exit 7"]).status == 7)
    }
}
