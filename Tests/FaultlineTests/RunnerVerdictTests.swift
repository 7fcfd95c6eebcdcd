import Testing
@testable import FaultlineDecode
import FaultlineCore

/// CI runners' own lines about commands and whole builds (`StepTracker.runnerVerdict`), as
/// each runner prints them: the step a failure belongs to, its exit code, and a runner's word
/// of success.
@Suite("CI runners' verdict lines")
struct RunnerVerdictTests {
    static func decode(_ text: String) -> [Event] {
        var decoder = BuildLogDecoder(inputIndex: 0, inputPath: "ci.log", anchors: [])
        return TestSupport.feed(&decoder, Array(text.utf8), chunk: 1 << 20)
    }

    @Test("Travis: the echoed command is a step, its exit line fails or clears it, the build's last line says how it ended")
    func travis() {
        let events = Self.decode("""
        travis_time:start:0b8c5d7e\r\u{1B}[0K$ npm run lint
        src/app.js: line 3, col 10, Error - 'x' is not defined. (no-undef)
        travis_time:end:0b8c5d7e:start=1,finish=2,duration=1\r\u{1B}[0K\u{1B}[31;1mThe command "npm run lint" exited with 1.\u{1B}[0m
        travis_time:start:1c9d6e8f\r\u{1B}[0K$ npm test
        \u{1B}[32;1mThe command "npm test" exited with 0.\u{1B}[0m
        Done. Your build exited with 1.

        """)
        let starts = events.filter { $0.kind == .stepStart }
        #expect(starts.map(\.step?.name) == ["npm run lint", "npm test"])
        let failed = events.first { $0.kind == .stepFailed }
        #expect(failed?.step?.key == starts.first?.step?.key)
        #expect(failed?.subjects[Subjects.Key.exitCode] == "1")
        #expect(events.first { $0.kind == .stepSucceeded }?.step?.key == starts.last?.step?.key)
        let build = events.first { $0.kind == .buildFailed }
        #expect(build?.location.line == 6)
        #expect(build?.subjects[Subjects.Key.exitCode] == "1")
        // The lint error above the failed command is read as the step's own error line.
        #expect(events.contains { $0.location.line == 2 && $0.severity == .error && $0.step?.key == starts.first?.step?.key })
    }

    @Test("Jenkins, GitLab (both wordings), CircleCI, Buildkite and Azure Pipelines")
    func otherRunners() {
        let cases: [(String, EventKind, String?)] = [
            ("ERROR: script returned exit code 2", .stepFailed, "2"),
            ("Finished: FAILURE", .buildFailed, nil),
            ("Finished: UNSTABLE", .buildFailed, nil),
            ("Finished: SUCCESS", .buildSucceeded, nil),
            ("ERROR: Job failed: exit code 1", .buildFailed, "1"),
            ("ERROR: Build failed: exit status 1", .buildFailed, "1"),
            ("Job succeeded", .buildSucceeded, nil),
            ("Exited with code exit status 1", .stepFailed, "1"),
            ("Exited with code 2", .stepFailed, "2"),
            ("🚨 Error: The command exited with status 1", .stepFailed, "1"),
            ("##[error]Bash exited with code '1'.", .stepFailed, "1"),
            ("##[error]Process completed with exit code 3.", .stepFailed, "3"),
        ]
        for (line, kind, code) in cases {
            let events = Self.decode(line + "\n")
            #expect(events.first?.kind == kind, "\(line)")
            #expect(events.first?.subjects[Subjects.Key.exitCode] == code, "\(line)")
        }
    }

    @Test("Jenkins' timestamper brackets are peeled, and a log that starts with them is text, not JSON")
    func bracketedTimestamps() {
        let events = Self.decode("[2023-04-01T10:00:00.123Z] Finished: FAILURE\n")
        #expect(events.first?.kind == .buildFailed)
        #expect(events.first?.time.clock == .absolute)
    }
}
