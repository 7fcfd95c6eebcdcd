import Foundation
import Testing
import Faultline
import FaultlineCore

/// An input that could not be read to its end is exit 3 from every command;
/// a wrong timestamp is a diagnostic, never a slow resolver.
@Suite("Exit statuses agree; implausible times are diagnostics")
struct ExitStatusTests {
    @Test("A capture cut short: exit 3 from analyze as from dns")
    func cutCapture() throws {
        let bytes = try Data(contentsOf: TestSupport.samples.appendingPathComponent("go/dns-slow/dns.pcap"))
        let path = try TestSupport.scratchFile("cut.pcap", Array(bytes.prefix(1000)))
        let analyze = try CLIProcess.run(["analyze", path])
        let dns = try CLIProcess.run(["dns", path])
        #expect(dns.status == 3)
        #expect(analyze.status == 3)
        #expect(analyze.stdout.contains("[capture.corrupt]"))
        // What was read before the cut is still analysed.
        #expect(analyze.stdout.contains("dns_slow"))
    }

    @Test("A gzipped log cut short: exit 3, the part before analysed")
    func cutGzip() throws {
        let log = try Data(contentsOf: TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log"))
        let whole = try Gzip.compress(Array(log))
        let path = try TestSupport.scratchFile("cut.log.gz", Array(whole.prefix(whole.count * 3 / 4)))
        let analyze = try CLIProcess.run(["analyze", path])
        #expect(analyze.status == 3)
        #expect(analyze.stdout.contains("[input.gzip-truncated]"))
    }

    /// A query and its answer with the answer's time written as `answerTime`.
    static func pair(queryTime: Double, answerTime: Double) throws -> String {
        var pcap = PcapBuilder(linkType: 1)
        pcap.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.0.0.2", "10.0.0.1", 40000, 53,
                                                      PcapBuilder.query(id: 7, "a.example.com"))), time: queryTime)
        pcap.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.0.0.1", "10.0.0.2", 53, 40000,
                                                      PcapBuilder.response(id: 7, "a.example.com", addresses: ["10.1.2.3"]))),
                 time: answerTime)
        return try TestSupport.scratchFile("time-\(queryTime)-\(answerTime).pcap", pcap.bytes)
    }

    @Test("A 0xFFFFFFFF timestamp is a diagnostic, not a slow resolver",
          arguments: [(1_764_000_000.0, 4_294_967_295.0), (4_294_967_295.0, 1_764_000_000.0), (1_764_000_000.0, 1_763_999_000.0)])
    func implausible(_ times: (Double, Double)) throws {
        let path = try Self.pair(queryTime: times.0, answerTime: times.1)
        let report = TestSupport.analyze([path])
        #expect(!report.hypotheses.contains { $0.cause == "dns_slow" })
        let diagnostic = try #require(report.diagnostics.first { $0.code == "capture.implausible_time" })
        #expect(diagnostic.frame == 2)
        #expect(diagnostic.severity == .warning)
    }

    @Test("A late answer within a minute is still a slow resolver")
    func plausibleLate() throws {
        let path = try Self.pair(queryTime: 1_764_000_000, answerTime: 1_764_000_008)
        let report = TestSupport.analyze([path])
        #expect(report.hypotheses.first?.cause == "dns_slow")
        #expect(!report.diagnostics.contains { $0.code == "capture.implausible_time" })
    }
}
