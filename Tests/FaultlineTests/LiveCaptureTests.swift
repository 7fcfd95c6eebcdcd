import Foundation
import Testing
import Faultline

@Suite("faultline run --capture in a network namespace")
struct LiveCaptureTests {
    /// Root (namespaces, capture), `ip` and `go` (scripts/setup.sh installs them on CI, as root).
    static let canRun: Bool = {
        guard getuid() == 0 else { return false }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        func found(_ tool: String) -> Bool {
            path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
        guard found("go") && found("npm") && found("ip") else { return false }
        // A container without CAP_SYS_ADMIN cannot make namespaces: try one (and remove it).
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/sh")
        let name = "fl-live-probe-\(getpid())"
        probe.arguments = ["-c", "ip netns add \(name) && ip netns del \(name)"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// Runs `scripts/live-netns.sh TOOL` and checks the report names the namespace's dead resolver
    /// from the tool's own line and from the captured frames, and the kept capture says the same.
    @Test("a real go mod download and npm install against an unreachable resolver: named from the log line and the captured frames",
          .enabled(if: canRun, "needs root with network namespaces, iproute2, golang-go and npm (scripts/setup.sh installs them when run as root)"),
          arguments: [("go", "lookup proxy.golang.org on 10.77.1.53:53", "proxy.golang.org"),
                      ("npm", "getaddrinfo EAI_AGAIN registry.npmjs.org", "registry.npmjs.org")])
    func unreachableResolver(tool: String, logLine: String, host: String) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-live-\(tool)-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = scratch.appendingPathComponent("report.json").path
        let pcap = scratch.appendingPathComponent("dns.pcap").path
        let (status, stderr) = try TestSupport.run(TestSupport.root.appendingPathComponent("scripts/live-netns.sh"),
                                                   [tool, LiveProcess.binary.path, report, pcap])
        // The tool's own exit status comes back through faultline.
        #expect(status == 1, "stderr: \(stderr)")
        #expect(stderr.contains(logLine))
        #expect(stderr.contains("faultline: dns_server_unreachable"))

        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["verdict"] as? String == "failure")
        let hypotheses = try #require(json["hypotheses"] as? [[String: Any]])
        let top = try #require(hypotheses.first)
        #expect(top["cause"] as? String == "dns_server_unreachable")
        let subjects = top["subjects"] as? [String: String]
        #expect(subjects?["nameserver"] == "10.77.1.53:53")
        #expect(subjects?["host"] == host)
        let evidence = try #require(top["evidence"] as? [[String: Any]])
        let fromLog = evidence.first { $0["input"] as? String == "stderr" && $0["line"] != nil }
        let fromCapture = evidence.first { ($0["input"] as? String)?.hasPrefix("capture:") == true && $0["frame"] != nil }
        #expect((fromLog?["text"] as? String)?.contains(host) == true)
        #expect((fromCapture?["text"] as? String)?.contains("10.77.1.53:53") == true)
        // --pcap kept the frames: the unanswered queries are read back as a capture file.
        let kept = TestSupport.analyze([pcap])
        #expect((kept.inputs.first?.frames ?? 0) >= 1)
        // Go asks twice (A and AAAA) and gets no answer: the capture alone names the resolver. npm (one
        // getaddrinfo, no retry) sends one query, and one unanswered query alone is not a finding.
        if tool == "go" { #expect(kept.hypotheses.first?.cause == "dns_server_unreachable") }
    }
}
