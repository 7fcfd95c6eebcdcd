import Foundation
import Testing
import Faultline

@Suite("faultline run")
struct RunTests {
    @Test("exits with the command's own status", arguments: [
        ("exit 0", Int32(0)), ("exit 7", 7), ("kill -TERM $$", 143), ("kill -KILL $$", 137),
    ])
    func exitStatus(script: String, status: Int32) throws {
        let run = try LiveProcess(["run", "--status", "lines", "--", "sh", "-c", script])
        run.closeInput()
        #expect(run.wait() == status)
        #expect(run.stderr.contains("verdict:"))
    }

    @Test("a command that cannot be started exits 127")
    func missingCommand() throws {
        let run = try LiveProcess(["run", "--", "faultline-no-such-command-13"])
        run.closeInput()
        #expect(run.wait() == 127)
        #expect(run.stderr.contains("No such file or directory"))
    }

    @Test("passes the command's standard output and error through, and analyses both")
    func passthroughBothStreams() throws {
        let sample = TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log").path
        let run = try LiveProcess(["run", "--status", "lines", "--", "sh", "-c", "printf 'out\\0put'; cat \"$1\" >&2; exit 1", "sh", sample])
        run.closeInput()
        #expect(run.wait() == 1)
        #expect(run.stdout == Array("out\u{0}put".utf8))
        let log = try String(contentsOfFile: sample, encoding: .utf8)
        #expect(run.stderr.contains(log))
        #expect(run.stderr.contains("faultline: dns_server_unreachable"))
        #expect(run.stderr.contains("stderr:31"))
        #expect(run.stderr.contains("1. dns_server_unreachable"))
    }

    @Test("SIGINT to faultline reaches the command, and the report is still written")
    func interruptReachesChild() throws {
        let script = "trap 'echo got-int; exit 5' INT; echo ready; while :; do sleep 0.05; done"
        let run = try LiveProcess(["run", "--status", "lines", "--", "sh", "-c", script])
        #expect(run.waitForStdout(containing: "ready"))
        run.process.interrupt()
        #expect(run.wait() == 5)
        #expect(String(decoding: run.stdout, as: UTF8.self).contains("got-int"))
        #expect(run.stderr.contains("verdict:"))
    }

    @Test("a command killed by the forwarded SIGINT exits 130, with the report")
    func interruptKillsChild() throws {
        let run = try LiveProcess(["run", "--status", "lines", "--", "sh", "-c", "echo ready; exec sleep 60"])
        #expect(run.waitForStdout(containing: "ready"))
        run.process.interrupt()
        #expect(run.wait() == 130)
        #expect(run.stderr.contains("verdict:"))
    }

    @Test("a capture that cannot start is said in one line, and the command still runs")
    func captureUnavailable() throws {
        let run = try LiveProcess(["run", "--status", "lines", "--capture", "fl-nosuch0", "--", "sh", "-c", "echo hi"])
        run.closeInput()
        #expect(run.wait() == 0)
        #expect(run.stdout == Array("hi\n".utf8))
        #expect(run.stderr.components(separatedBy: "faultline: no DNS capture").count == 2)
        #expect(run.stderr.contains("capture.activate"))
    }

    @Test("--help of watch and run teaches with examples; run wants its command after --", arguments: ["watch", "run"])
    func help(command: String) throws {
        let help = try LiveProcess([command, "--help"])
        help.closeInput()
        #expect(help.wait() == 0)
        let text = String(decoding: help.stdout, as: UTF8.self)
        #expect(text.contains("Examples:"))
        #expect(text.contains("faultline \(command) "))
    }

    @Test("a command not after -- is a usage error")
    func commandNeedsTerminator() throws {
        let run = try LiveProcess(["run", "go", "version"])
        run.closeInput()
        #expect(run.wait() == 2)
        #expect(run.stderr.contains("after --"))
    }

    @Test("when its output cannot be passed on, the command gets a broken pipe, as it would without faultline")
    func brokenPipeReachesCommand() throws {
        let process = Process()
        process.executableURL = LiveProcess.binary
        process.arguments = ["run", "--status", "lines", "--", "yes"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        _ = output.fileHandleForReading.readData(ofLength: 1)
        try output.fileHandleForReading.close()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGPIPE)
        #expect(text.components(separatedBy: "cannot write to standard output").count == 2)
    }
}
