import Foundation
import Testing
@testable import FaultlineEngine
import FaultlineCore

/// Values a log chose are pasted into the verify commands a report tells
/// people to run: each must reach the intended program as one argument, and
/// nothing else may run.
@Suite("Verify commands are safe to paste into a shell")
struct ShellInjectionTests {
    /// Runs `command` with `/bin/sh -c` and a PATH holding only stubs that
    /// record their name and arguments: one `[program, arg…]` per call.
    static func calls(of command: String, stubs: [String]) throws -> [[String]] {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("faultline-stubs-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("calls").path
        let stub = "#!/bin/sh\n{ printf '%s' \"${0##*/}\"; for a in \"$@\"; do printf '\\037%s' \"$a\"; done; printf '\\036'; } >> '\(log)'\n"
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for name in stubs + ["evil", "curl", "sh", "bash", "rm", "wget"] {
            let path = bin.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path) { continue }
            try Data(stub.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ["PATH": bin.path, "HOME": dir.path]
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\u{1E}").map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("A quoted value comes back from sh unchanged, in every quoting context")
    func roundTrip() throws {
        let values = ["plain.example.com", "a b", "it's", "$(evil)", "`evil`", "x;evil", "\"q\"", "back\\slash", "*?[x]", "~root", "a&&evil"]
        for value in values {
            let subjects = Subjects(["path": value])
            for template in ["show {path}", "show '<{path}>'", "show \"<{path}>\""] {
                let command = Template.expandCommand(template, subjects: subjects)
                let calls = try Self.calls(of: command, stubs: ["show"])
                let expected = template.contains("<") ? "<\(value)>" : value
                #expect(calls == [["show", expected]], "\(template) with \(value) became \(command)")
            }
        }
    }

    @Test("A value that cannot be a host, module, address or URL is missing, not pasted")
    func shapes() {
        let subjects = Subjects(["host": "proxy$(evil).example.com", "nameserver": "10.0.0.1:53;evil",
                                 "module": "example.com/m`evil`", "url": "file:///etc/passwd",
                                 "version": "v1.0.0 && evil", "tool": "gcc\u{202E}"])
        #expect(Template.expandCommand("nslookup {host}[[ {nameserver_ip}]]", subjects: subjects) == "nslookup <host>")
        #expect(Template.expandCommand("go list -m -versions {module}", subjects: subjects) == "go list -m -versions <module>")
        #expect(Template.expandCommand("curl -sI {url}", subjects: subjects) == "curl -sI <url>")
        #expect(Template.expandCommand("command -v[[ {tool}]]", subjects: subjects) == "command -v")
        #expect(Template.expandFix("go get {module}@latest", subjects: subjects) == "go get <module>@latest")
        let good = Subjects(["host": "proxy.golang.org", "nameserver": "[fd00::1]:53", "module": "github.com/a/b",
                             "url": "https://e.com/x?a=1&b='2'"])
        #expect(Template.expandCommand("nslookup {host} {nameserver_ip}", subjects: good) == "nslookup proxy.golang.org fd00::1")
        #expect(Template.expandCommand("curl -sI {url}", subjects: good) == "curl -sI 'https://e.com/x?a=1&b='\\''2'\\'''")
    }

    /// Log lines whose subjects try to run `evil`.
    static let hostileLines = [
        "go: example.com/m@v1.0.0: Get \"https://proxy.golang.org/example.com/m/@v/v1.0.0.mod\": dial tcp: lookup proxy$(evil).golang.org on 10.0.0.1:53;evil: read udp 10.0.0.2:5->10.0.0.1:53: i/o timeout",
        "go: writing stat cache: open /tmp/x;evil;$(evil)'q`evil`: permission denied",
        "go: mkdir /tmp/ro$(evil)'x: read-only file system",
        "go: example.com/m@v1.0.0: reading https://proxy.example.com/m;evil$(evil)'x/@v/v1.0.0.mod: 403 Forbidden",
        "go: ex$(evil)ample.com/m@v1.0.0: unknown revision v1.0.0",
        "go: example.com/m;evil@v1.0.0: verifying module: checksum mismatch",
        "npm error code ENOTFOUND\nnpm error request to https://reg$(evil).example.com/x failed, reason: getaddrinfo ENOTFOUND reg$(evil).example.com",
    ]

    @Test("Every verify command of a hostile report runs only the program it names")
    func hostileReport() throws {
        var commands: [String] = []
        for (index, line) in Self.hostileLines.enumerated() {
            let path = try TestSupport.scratchFile("hostile-\(index).log", line + "\n")
            let report = TestSupport.analyze([path])
            #expect(!report.hypotheses.isEmpty, "\(line) gave no hypothesis")
            commands += report.hypotheses.flatMap(\.verify)
        }
        let programs = ["dig", "nslookup", "getent", "go", "npm", "ls", "touch", "df", "findmnt", "id", "grep", "cat",
                        "git", "docker", "node", "npx", "openssl", "env", "echo"]
        var arguments: [String] = []
        for command in commands {
            let calls = try Self.calls(of: command, stubs: programs)
            for call in calls {
                #expect(call.first != "evil", "\(command) ran evil")
                #expect(["sh", "bash", "rm", "wget"].contains(call.first ?? "") == false, "\(command) ran \(call)")
                if let program = call.first {
                    #expect(command.contains(program), "\(command) ran \(program), which it does not name")
                }
                arguments += call.dropFirst()
            }
        }
        // The values that can be what their placeholder wants reach the program whole.
        #expect(arguments.contains("/tmp/x;evil;$(evil)'q`evil`"))
        #expect(arguments.contains("https://proxy.example.com/m;evil$(evil)'x/@v/v1.0.0.mod"))
        #expect(commands.contains("ls -ld '/tmp/x;evil;$(evil)'\\''q`evil`' && id"), "\(commands)")
        #expect(commands.contains("nslookup <host> <nameserver_ip>") && commands.contains("getent hosts <host>"))
    }
}
