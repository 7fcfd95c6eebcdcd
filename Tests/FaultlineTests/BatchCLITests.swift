import Foundation
import Testing
import Faultline

/// The built `faultline batch` binary, as a pipeline or a scheduler runs it.
@Suite("Batch command line: stdin cases, exit status, resuming after SIGKILL", .serialized)
struct BatchCLITests {
    @Test("--cases-from - reads case paths on stdin and writes one NDJSON line per case on stdout; a missing one exits 3")
    func casesFromStdin() throws {
        let go = TestSupport.samples.appendingPathComponent("go").path
        let input = "\(go)/dns-refused\n\(go)/module-404\n\n/nonexistent/case\n"
        let outcome = try CLIProcess.run(["batch", "--cases-from", "-", "--out", "-", "--quiet", "--sorted", "--jobs", "2"], stdin: input)
        #expect(outcome.status == 3)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        // --sorted is byte order of the keys, wherever the checkout lives.
        let keys = ["/nonexistent/case", "\(go)/dns-refused", "\(go)/module-404"]
        #expect(objects.map { $0["case"] as? String } == keys.sorted())
        let byKey = Dictionary(objects.compactMap { object in (object["case"] as? String).map { ($0, object) } }, uniquingKeysWith: { first, _ in first })
        let causes = keys.map { ((byKey[$0]?["report"] as? [String: Any])?["hypotheses"] as? [[String: Any]])?.first?["cause"] as? String }
        #expect(causes == [nil, "dns_refused", "module_not_found"])
        #expect(outcome.stderr.isEmpty)
        // A case line's report is what `analyze --format json` prints for the same folder.
        let analyze = try CLIProcess.run(["analyze", "--format", "json", "--quiet", "\(go)/dns-refused"])
        let report = try #require(byKey["\(go)/dns-refused"]?["report"] as? NSDictionary)
        let alone = try #require(try JSONSerialization.jsonObject(with: Data(analyze.stdout.utf8)) as? NSDictionary)
        #expect(report == alone)
        // Not a terminal: plain progress lines on stderr, the last one at the total.
        let loud = try CLIProcess.run(["batch", "--cases-from", "-", "--out", "/dev/null"], stdin: input)
        #expect(loud.stderr.hasPrefix("faultline batch: "))
        #expect(loud.stderr.contains("faultline batch: 3/3 cases"))
        #expect(loud.stderr.contains("1 unreadable"))
    }

    @Test("batch and summary --help teach: the NDJSON line, sharding, stdin cases, resuming, examples; bad usage exits 2")
    func help() throws {
        let batch = try CLIProcess.run(["batch", "--help"])
        #expect(batch.status == 0)
        for phrase in ["{\"case\": KEY", "--shard K/N", "--cases-from -", "--resume", "Examples:", "Exit status:"] {
            #expect(batch.stdout.contains(phrase), "batch --help lacks \(phrase)")
        }
        let summary = try CLIProcess.run(["summary", "--help"])
        #expect(summary.status == 0 && summary.stdout.contains("--since"))
        #expect(try CLIProcess.run(["batch", "Samples", "--shard", "4/3"]).status == 2)
        #expect(try CLIProcess.run(["batch", "Samples", "--resume"]).status == 2)
        #expect(try CLIProcess.run(["batch", "Samples", "--case-key", "(["]).status == 2)
    }

    @Test("a batch killed with SIGKILL mid-way and resumed stores the same rows as one uninterrupted run")
    func resumeAfterKill() throws {
        let dir = try BatchSupport.scratchFolder("kill")
        let archive = dir + "/many.tgz"
        var members: [(String, [UInt8])] = []
        let base = try BatchSupport.sampleMembers("go", cases: BatchSupport.goCases)
        for copy in 0..<30 {
            for (name, bytes) in base { members.append(("copy-\(copy)-" + name, bytes)) }
        }
        try BatchSupport.writeArchive(archive, kind: .tarGzip, members: members)
        let total = 30 * BatchSupport.goCases.count

        let whole = dir + "/whole.sqlite"
        let uninterrupted = try CLIProcess.run(["batch", archive, "--db", whole, "--out", dir + "/whole.ndjson", "--quiet", "--jobs", "2"])
        #expect(uninterrupted.status == 0)

        let resumed = dir + "/resumed.sqlite"
        let (process, _, _) = try CLIProcess.start(["batch", archive, "--db", resumed, "--out", dir + "/first.ndjson", "--quiet", "--jobs", "1"])
        var stored = 0
        while process.isRunning {
            stored = (try? BatchDatabase.caseCount(at: resumed)) ?? 0
            if stored >= 20 { break }
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let atKill = try BatchDatabase.caseCount(at: resumed)
        #expect(atKill >= 20 && atKill < total, "killed after \(atKill) of \(total) cases")

        let second = try CLIProcess.run(["batch", archive, "--db", resumed, "--resume", "--out", dir + "/second.ndjson", "--jobs", "2"])
        #expect(second.status == 0)
        let secondLines = try String(contentsOfFile: dir + "/second.ndjson", encoding: .utf8).split(separator: "\n").count
        #expect(secondLines == total - atKill)
        #expect(second.stderr.contains("\(atKill) cases skipped"))
        let a = try BatchDatabase(path: whole).dump()
        let b = try BatchDatabase(path: resumed).dump()
        #expect(a.count > total)
        #expect(a == b)
    }
}
