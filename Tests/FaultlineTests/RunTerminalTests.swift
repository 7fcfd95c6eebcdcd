import Foundation
import Testing
import Faultline

/// `faultline run` giving the command a pseudo-terminal of its own, as `script(1)` does: the command
/// sees a terminal, keystrokes and Ctrl-C reach it, and what it shows is analysed as one stream.
@Suite("faultline run on a terminal")
struct RunTerminalTests {
    /// util-linux's `script`, which runs a command on a terminal of its own: faultline as a person runs it.
    static let script = URL(fileURLWithPath: "/usr/bin/script")

    /// `script -qec 'faultline ARGS' /dev/null`, the arguments quoted for sh.
    static func onTerminal(_ arguments: [String]) throws -> LiveProcess {
        let line = ([LiveProcess.binary.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return try LiveProcess(["-qec", line.joined(separator: " "), "/dev/null"], executable: script)
    }

    @Test("--terminal always: the command's standard input, output and error are a terminal, read as one stream and analysed")
    func commandHasTerminal() throws {
        let sample = TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log").path
        let body = "test -t 0 && test -t 1 && test -t 2 && echo child-has-a-terminal; cat \"$1\"; exit 1"
        let run = try LiveProcess(["run", "--terminal", "always", "--status", "lines", "--", "sh", "-c", body, "sh", sample])
        run.closeInput()
        #expect(run.wait() == 1)
        let shown = String(decoding: run.stdout, as: UTF8.self)
        #expect(shown.hasPrefix("child-has-a-terminal\r\n"))
        // The terminal turned each newline into CR LF; the log's lines are all there.
        let log = try String(contentsOfFile: sample, encoding: .utf8)
        #expect(shown.contains(log.replacingOccurrences(of: "\n", with: "\r\n")))
        // Line 31 of the log is line 32 of what the terminal showed.
        #expect(run.stderr.contains("1. dns_server_unreachable"))
        #expect(run.stderr.contains("terminal:32"))
        #expect(!run.stderr.contains("stdout:"))
    }

    @Test("what Faultline reads on its standard input is typed into the command's terminal")
    func keystrokesReachCommand() throws {
        let run = try LiveProcess(["run", "--terminal", "always", "--status", "none", "--", "sh", "-c", "read line; echo \"got:$line\""])
        run.write(Array("hello\n".utf8))
        #expect(run.waitForStdout(containing: "got:hello"))
        run.closeInput()
        #expect(run.wait() == 0)
    }

    @Test("--terminal auto gives the command a terminal when Faultline's output is one, never keeps pipes", arguments: [
        ("auto", "tty-yes"), ("never", "tty-no"),
    ])
    func automaticOnTerminal(choice: String, answer: String) throws {
        let run = try Self.onTerminal(["run", "--terminal", choice, "--status", "none", "--",
                                       "sh", "-c", "test -t 1 && echo tty-yes || echo tty-no"])
        #expect(run.waitForStdout(containing: answer))
        run.closeInput()
        #expect(run.wait() == 0)
        #expect(!String(decoding: run.stdout, as: UTF8.self).contains(answer == "tty-yes" ? "tty-no" : "tty-yes"))
    }

    @Test("Ctrl-C typed at the terminal interrupts the command (exit 130) and the report is still written")
    func controlCReachesCommand() throws {
        let run = try Self.onTerminal(["run", "--status", "none", "--", "sh", "-c", "echo ready; exec sleep 60"])
        #expect(run.waitForStdout(containing: "ready"))
        run.write([0x03])
        #expect(run.wait() == 130)
        #expect(String(decoding: run.stdout, as: UTF8.self).contains("verdict:"))
    }
}
