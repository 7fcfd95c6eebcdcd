import Foundation
import Testing
import Faultline

/// Ctrl-C during a long `analyze` or `batch` ends it at once, says so, and
/// leaves the batch database consistent.
@Suite("Interrupts stop promptly and say so")
struct InterruptTests {
    /// More than a pipe holds: once `write` returns, the command is reading its input.
    static func lines(_ line: String, bytes: Int) -> [UInt8] {
        Array(String(repeating: line + "\n", count: bytes / (line.utf8.count + 1) + 1).utf8)
    }

    @Test("analyze of an endless standard input: Ctrl-C ends it with status 130 and one line")
    func analyze() throws {
        let process = try LiveProcess(["analyze", "-"])
        process.write(Self.lines("go: downloading example.com/m v1.0.0", bytes: 1 << 20))
        kill(process.process.processIdentifier, SIGINT)
        let status = process.wait()
        #expect(process.process.terminationReason == .exit)
        #expect(status == 130)
        #expect(process.stderr == "faultline analyze: interrupted; no report was written\n")
        #expect(process.stdout.isEmpty)
    }

    @Test("batch interrupted while it reads its cases: status 130, and the database opens consistent")
    func batch() throws {
        let folder = try BatchSupport.scratchFolder("interrupt")
        let db = folder + "/results.sqlite"
        let process = try LiveProcess(["batch", "--quiet", "--cases-from", "-", "--db", db, "--out", folder + "/out.ndjson"])
        process.write(Self.lines(TestSupport.samples.appendingPathComponent("go/dns-unreachable").path, bytes: 1 << 20))
        kill(process.process.processIdentifier, SIGTERM)
        let status = process.wait()
        #expect(process.process.terminationReason == .exit)
        #expect(status == 128 + SIGTERM)
        #expect(process.stderr.hasPrefix("faultline batch: interrupted; every case stored in \(db) is complete"))
        let stored = try BatchDatabase(path: db).stored()
        #expect(stored.isEmpty)
    }
}
