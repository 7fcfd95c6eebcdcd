import Foundation
import Testing

/// A full disk, a closed standard output and a reader that went away: every
/// command says so once on standard error and exits non-zero, or (the reader
/// gone) ends by SIGPIPE at once, as conventional tools do.
@Suite("Write errors are told, never ignored")
struct WriteErrorTests {
    /// Runs `faultline ARGS` through `/bin/sh` with `redirect` applied to its standard output:
    /// its exit status (128 + signal when killed) and standard error.
    static func run(_ arguments: [String], redirect: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\"$0\" \"$@\" \(redirect); echo \"status $?\" >&2", CLIProcess.binary] + arguments
        process.currentDirectoryURL = TestSupport.root
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = stderr.split(separator: "\n")
        let status = lines.last.flatMap { Int32($0.dropFirst("status ".count)) } ?? -1
        return (status, lines.dropLast().joined(separator: "\n"))
    }

    static let commands: [[String]] = [
        ["analyze", "Samples/go/dns-unreachable"],
        ["analyze", "--format", "json", "Samples/go/dns-unreachable/build.log"],
        ["dns", "Samples/go/dns-unreachable/dns.pcap"],
        ["jstack", "Samples/jvm/carrier-starvation"],
        ["batch", "--quiet", "Samples/go/dns-unreachable", "--out", "-"],
        ["pipelines", "show", "default"],
    ]

    @Test("A full disk: one line on standard error, exit 1", arguments: commands)
    func full(_ arguments: [String]) throws {
        let outcome = try Self.run(arguments, redirect: "> /dev/full")
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "faultline: cannot write standard output: No space left on device")
    }

    @Test("A closed standard output: one line on standard error, exit 1", arguments: commands)
    func closed(_ arguments: [String]) throws {
        let outcome = try Self.run(arguments, redirect: ">&-")
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "faultline: cannot write standard output: Bad file descriptor")
    }

    @Test("batch --out to a full disk says which file")
    func batchFile() throws {
        let outcome = try Self.run(["batch", "--quiet", "Samples/go/dns-unreachable", "--out", "/dev/full"], redirect: "")
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "faultline: cannot write /dev/full: No space left on device")
    }

    @Test("dns into a reader that stops after one line ends by SIGPIPE, quietly")
    func brokenPipe() throws {
        // 20,000 answered queries: far more output than a pipe holds.
        var pcap = PcapBuilder(linkType: 1)
        for id in 0..<20_000 {
            let time = Double(id) * 0.001
            pcap.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.0.0.2", "10.0.0.1", 40000 + id % 1000, 53,
                                                          PcapBuilder.query(id: id & 0xFFFF, "n\(id).example.com"))), time: time)
            pcap.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.0.0.1", "10.0.0.2", 53, 40000 + id % 1000,
                                                          PcapBuilder.response(id: id & 0xFFFF, "n\(id).example.com",
                                                                               addresses: ["10.1.2.3"]))), time: time + 0.0005)
        }
        let path = try TestSupport.scratchFile("many.pcap", pcap.bytes)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The status of faultline itself, not of head.
        process.arguments = ["-c", "{ \"$0\" dns \"$1\"; echo \"status $?\" >&3; } 3>&2 | head -n 1 > /dev/null", CLIProcess.binary, path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(stderr == "status \(128 + SIGPIPE)\n")
    }
}
