import Foundation
import Testing
import Faultline

/// The `faultline` binary carries everything it needs: copied alone into an empty folder, run
/// there with no Pipelines folder anywhere it could look, it analyses the samples as in the
/// repository; and it says which build and rules it is.
@Suite("A binary copied alone", .serialized)
struct StandaloneBinaryTests {
    /// An empty folder holding only a copy of the built binary.
    static func lonelyCopy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-alone-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let copy = dir.appendingPathComponent("faultline")
        try FileManager.default.copyItem(atPath: CLIProcess.binary, toPath: copy.path)
        return copy
    }

    /// Runs the copy in its folder, with a home, config home and no `$FAULTLINE_PIPELINES`.
    static func run(_ binary: URL, _ arguments: [String]) throws -> CLIProcess.Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let folder = binary.deletingLastPathComponent()
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FAULTLINE_PIPELINES")
        environment["HOME"] = folder.path
        environment["XDG_CONFIG_HOME"] = folder.path + "/config"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                     stderr: String(decoding: err, as: UTF8.self))
    }

    @Test("copied alone, it lists its built-in pipelines and names each sample's expected cause")
    func analysesSamplesAlone() throws {
        let binary = try Self.lonelyCopy()
        let folder = binary.deletingLastPathComponent()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["faultline"])
        let list = try Self.run(binary, ["pipelines", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("pipelines (later layers override earlier ones: built-in):"))
        for name in ["default", "go-docker", "npm-ci", "jvm-service"] {
            #expect(list.stdout.contains("from built-in: built-in:\(name).yaml"))
        }
        let validate = try Self.run(binary, ["pipelines", "validate"])
        #expect(validate.status == 0 && validate.stdout.contains("built-in:default.yaml: 7 packs"), "\(validate.stdout)\(validate.stderr)")
        // Each sample copied beside it (the binary must not find the repository through its inputs).
        var checked = 0
        for name in ["go/dns-refused", "go/module-404", "npm/integrity-mismatch", "jvm/monitor-deadlock", "go/healthy"] {
            let sample = TestSupport.samples.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: sample.path) else { continue }
            let expected = try #require(try JSONSerialization.jsonObject(
                with: Data(contentsOf: sample.appendingPathComponent("expected.json"))) as? [String: Any])
            let local = folder.appendingPathComponent(name.replacingOccurrences(of: "/", with: "-"))
            try FileManager.default.copyItem(at: sample, to: local)
            try FileManager.default.removeItem(at: local.appendingPathComponent("expected.json"))
            let outcome = try Self.run(binary, ["analyze", "--format", "json", "--quiet", local.lastPathComponent])
            #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            #expect(report["verdict"] as? String == expected["verdict"] as? String, "\(name)")
            let top = (report["hypotheses"] as? [[String: Any]])?.first?["cause"] as? String ?? "none"
            #expect(top == expected["cause"] as? String, "\(name): \(top)")
            checked += 1
        }
        #expect(checked == 5)
    }

    @Test("--version: the version, the commit it was built from and the rules; JSON reports carry the same")
    func version() throws {
        let outcome = try CLIProcess.run(["--version"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "faultline \(FaultlineVersion.current)")
        let commit = String(lines[1].dropFirst("commit ".count))
        #expect(lines[1].hasPrefix("commit ") && (commit.wholeMatch(of: /[0-9a-f]{40}/) != nil || commit == "unknown"))
        if FileManager.default.fileExists(atPath: TestSupport.root.appendingPathComponent(".git").path) {
            #expect(commit != "unknown", "built from a git checkout")
        }
        let rules = TestSupport.knowledge.rulesVersion
        #expect(lines[2] == "rules \(rules) (built-in:default.yaml, 7 packs)")
        let json = try CLIProcess.run(["analyze", "--format", "json", "--quiet", "Samples/go/dns-refused"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["schema"] as? String == "faultline.report/1")
        let stamp = try #require(report["faultline"] as? [String: String])
        #expect(stamp == ["version": FaultlineVersion.current, "commit": commit, "rules": rules])
        let sarif = try CLIProcess.run(["analyze", "--format", "sarif", "--quiet", "Samples/go/dns-refused"]).stdout
        #expect(sarif.contains("\"semanticVersion\": \"\(FaultlineVersion.current)\""))
        #expect(sarif.contains("\"version\": \"\(FaultlineVersion.current)+\(commit.prefix(12))\""))
    }

    @Test("the batch database records the version, commit and rules of every case")
    func batchDatabaseProvenance() throws {
        let dir = try BatchSupport.scratchFolder("provenance")
        let go = TestSupport.samples.appendingPathComponent("go").path
        let outcome = try CLIProcess.run(["batch", "\(go)/dns-refused", "\(go)/healthy", "--db", dir + "/r.sqlite",
                                          "--out", "/dev/null", "--quiet"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try BatchDatabase(path: dir + "/r.sqlite").provenance()
        #expect(rows.count == 2)
        for (key, row) in rows {
            #expect(row.version == FaultlineVersion.current, "\(key)")
            #expect(row.commit == FaultlineVersion.commit, "\(key)")
            #expect(row.rules == TestSupport.knowledge.rulesVersion, "\(key)")
        }
    }
}
