import Foundation
import Testing
import Faultline
import Yams

/// `scripts/install.sh` into a temporary prefix with the binary the tests built (a release build
/// is too dear for a test), then `--uninstall`; and the GitHub Action's script with a fake
/// `$GITHUB_STEP_SUMMARY` and `$GITHUB_OUTPUT`.
@Suite("Install script and GitHub Action", .serialized)
struct InstallScriptTests {
    static func scratch(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs a script of the repository with `environment` added to this process's.
    static func script(_ path: String, _ arguments: [String], environment: [String: String]) throws -> CLIProcess.Outcome {
        try bash([TestSupport.root.appendingPathComponent(path).path] + arguments, environment: environment)
    }

    /// Runs `bash ARGUMENTS` in the repository with `environment` added to this process's.
    static func bash(_ arguments: [String], environment: [String: String] = [:]) throws -> CLIProcess.Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        process.currentDirectoryURL = TestSupport.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
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

    /// swift-argument-parser's generate-manual, when built (scripts/test.sh builds it; `none` otherwise).
    static var generateManual: String {
        let path = TestSupport.root.appendingPathComponent(".build/debug/generate-manual").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : "none"
    }

    @Test("install.sh PREFIX: a stripped binary, completions, the contract, the man page; --uninstall takes them away")
    func installAndUninstall() throws {
        let prefix = try Self.scratch("prefix")
        let manual = Self.generateManual
        let outcome = try Self.script("scripts/install.sh", [prefix],
                                      environment: ["FAULTLINE_BINARY": CLIProcess.binary, "FAULTLINE_GENERATE_MANUAL": manual])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("installed faultline \(FaultlineVersion.current) in \(prefix)"))
        let installed = prefix + "/bin/faultline"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: installed)[.size] as? Int)
        let original = try #require(try FileManager.default.attributesOfItem(atPath: CLIProcess.binary)[.size] as? Int)
        #expect(size < original, "stripped: \(size) < \(original) bytes")
        #expect(try Self.script("scripts/install.sh", ["--uninstall", "/nonexistent-prefix"], environment: [:]).status == 0)
        let version = try StandaloneBinaryTests.run(URL(fileURLWithPath: installed), ["--version"])
        #expect(version.stdout.hasPrefix("faultline \(FaultlineVersion.current)\ncommit "))
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/faultline", encoding: .utf8)
        #expect(bash.contains("complete") && bash.contains("analyze") && bash.contains("--fail-on"))
        let zsh = try String(contentsOfFile: prefix + "/share/zsh/site-functions/_faultline", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef faultline"))
        let fish = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/faultline.fish", encoding: .utf8)
        #expect(fish.contains("complete -c 'faultline'") && fish.contains("'analyze'"))
        // bash itself accepts the completion script.
        let sourced = try Self.bash(["-c", "source \"$1\" && complete -p faultline", "bash",
                                     prefix + "/share/bash-completion/completions/faultline"])
        #expect(sourced.stdout.contains("faultline"), "\(sourced.stderr)")
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/faultline/faultline.report-1.schema.json"))
        if manual != "none" {
            let page = try String(contentsOfFile: prefix + "/share/man/man1/faultline.1", encoding: .utf8)
            #expect(page.contains(".Dt FAULTLINE 1") && page.contains("--exit-code"))
        }
        let removed = try Self.script("scripts/install.sh", ["--uninstall", prefix], environment: [:])
        #expect(removed.status == 0)
        let left = FileManager.default.enumerator(atPath: prefix)?.allObjects.compactMap { $0 as? String }
            .filter { !((try? FileManager.default.attributesOfItem(atPath: prefix + "/" + $0)[.type] as? FileAttributeType) == .typeDirectory) }
        #expect(left == [], "files left after --uninstall")
    }

    @Test("the action's script: annotations, the job summary, outputs, and the gate")
    func actionScript() throws {
        let dir = try Self.scratch("action")
        func run(_ paths: String, failOn: String) throws -> (CLIProcess.Outcome, summary: String, output: String) {
            try? FileManager.default.removeItem(atPath: dir + "/summary.md")
            try? FileManager.default.removeItem(atPath: dir + "/output")
            let outcome = try Self.script("scripts/action.sh", [], environment: [
                "FAULTLINE_PATHS": paths, "FAULTLINE_FAIL_ON": failOn, "FAULTLINE_BINARY": CLIProcess.binary,
                "GITHUB_STEP_SUMMARY": dir + "/summary.md", "GITHUB_OUTPUT": dir + "/output", "RUNNER_TEMP": dir,
                "GITHUB_ACTION_PATH": TestSupport.root.path,
            ])
            let summary = (try? String(contentsOfFile: dir + "/summary.md", encoding: .utf8)) ?? ""
            let output = (try? String(contentsOfFile: dir + "/output", encoding: .utf8)) ?? ""
            return (outcome, summary, output)
        }
        let (failed, summary, output) = try run("Samples/go/dns-refused\nSamples/go/module-404/build.log", failOn: "failure")
        #expect(failed.status == 1, "fail-on failure: \(failed.stderr)")
        #expect(failed.stdout.contains("::error file=Samples/go/dns-refused/build.log,line=1,title=1. dns_refused"))
        #expect(summary.hasPrefix("## Faultline: dns\\_refused"))
        #expect(output.contains("verdict=failure\ncause=dns_refused\nreport=\(dir)/faultline-report.json\n"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/faultline-report.json")))
        #expect(try ContractTests.schema().errors(report).isEmpty)
        let (ungated, _, _) = try run("Samples/go/dns-refused", failOn: "")
        #expect(ungated.status == 0)
        let (healthy, healthySummary, healthyOutput) = try run("Samples/go/healthy", failOn: "warning")
        #expect(healthy.status == 0)
        #expect(healthy.stdout.contains("::notice title=faultline::Nothing failed."))
        #expect(healthySummary.contains("Verdict:** success"))
        #expect(healthyOutput.contains("verdict=success\ncause=none\n"))
        let (empty, _, _) = try run(" ", failOn: "")
        #expect(empty.status == 2 && empty.stderr.contains("names nothing to analyse"))
    }

    @Test("action.yml is a composite action that hands the script every variable it reads, each from an input")
    func actionInputs() throws {
        let text = try String(contentsOf: TestSupport.root.appendingPathComponent("action.yml"), encoding: .utf8)
        let action = try #require(try Yams.load(yaml: text) as? [String: Any])
        let inputs = try #require(action["inputs"] as? [String: Any])
        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let steps = try #require(runs["steps"] as? [[String: Any]])
        let step = try #require(steps.first { ($0["run"] as? String)?.contains("$GITHUB_ACTION_PATH/scripts/action.sh") == true })
        #expect(step["shell"] as? String == "bash" && step["id"] as? String == "analyze")
        let environment = try #require(step["env"] as? [String: String])
        let script = try String(contentsOf: TestSupport.root.appendingPathComponent("scripts/action.sh"), encoding: .utf8)
        let read = Set(script.matches(of: /\$\{(FAULTLINE_[A-Z_]+)/).map { String($0.output.1) })
        #expect(read.count == 6)
        #expect(Set(environment.keys) == read)
        for (variable, value) in environment {
            let input = try #require(value.wholeMatch(of: /\$\{\{ inputs\.([a-z-]+) \}\}/)?.output.1, "\(variable): \(value)")
            #expect(inputs[String(input)] != nil, "\(variable) reads the undeclared input \(input)")
        }
        #expect((inputs["paths"] as? [String: Any])?["required"] as? Bool == true)
        let outputs = try #require(action["outputs"] as? [String: Any])
        #expect(Set(outputs.keys) == ["verdict", "cause", "report"])
    }
}
