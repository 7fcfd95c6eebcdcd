import Foundation
import Testing
import Faultline

/// Each real sample analysed as one case with its capture: the build log and
/// the DNS traffic recorded while it ran.
@Suite("A build log and its capture, one case")
struct MultiSourceTests {
    static let withCaptures: [SampleExpectation] = SampleExpectation.all.filter { expectation in
        FileManager.default.fileExists(atPath: folder(expectation).appendingPathComponent("dns.pcap").path)
    }

    static func folder(_ expectation: SampleExpectation) -> URL {
        TestSupport.samples.appendingPathComponent("go").appendingPathComponent(expectation.folder ?? "")
    }

    static func analyze(_ expectation: SampleExpectation) -> Report {
        let folder = folder(expectation)
        return TestSupport.analyze([folder.appendingPathComponent("build.log").path, folder.appendingPathComponent("dns.pcap").path])
    }

    @Test("with its capture, every sample gets its true top cause, even where the log alone cannot tell",
          arguments: withCaptures)
    func trueCause(_ expected: SampleExpectation) throws {
        let report = Self.analyze(expected)
        #expect(report.verdict.rawValue == expected.verdict)
        guard expected.verdict == "failure" else {
            #expect(report.hypotheses.isEmpty, "healthy build, noisy or not: \(report.hypotheses.map(\.cause))")
            return
        }
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == expected.cause)
        if let logOnly = expected.log_only_cause, logOnly != expected.cause {
            #expect(top.explains.contains(logOnly), "the capture's cause explains the log's symptom \(logOnly): \(top.explains)")
        }
        // Every source that says something about it is cited.
        if top.layer == .networkDNS {
            #expect(top.evidence.contains { $0.frame != nil }, "capture frames as evidence")
            #expect(top.evidence.contains { $0.line != nil }, "the log line as evidence")
            #expect(top.sources.count == 2)
        }
        #expect(report.hypotheses.dropFirst().allSatisfy { $0.cause != "build_step_failed" || top.cause == "build_step_failed" })
    }

    @Test("a 403 with healthy DNS: the proxy, not the network, and the capture says so")
    func forbiddenWithHealthyDNS() throws {
        let expectation = try #require(SampleExpectation.all.first { $0.folder == "proxy-403" })
        let report = Self.analyze(expectation)
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "proxy_forbidden")
        #expect(top.evidence.contains { $0.role == "capture" && $0.text.hasSuffix("name resolution was fine") })
        #expect(!report.hypotheses.contains { $0.layer == .networkDNS })
    }

    @Test("a CI log with real timestamps is put on the capture's clock; the offset is small and within its bounds")
    func offsetFromSharedHost() throws {
        let expectation = try #require(SampleExpectation.all.first { $0.folder == "dns-servfail" })
        let report = Self.analyze(expectation)
        let alignment = try #require(report.alignment.first)
        #expect(alignment.method == .sharedSubject)
        let offset = try #require(alignment.offsetSeconds)
        let bounds = try #require(alignment.bounds)
        #expect(bounds.contains(offset))
        // Both were recorded on this machine's clock: the estimate must be near zero.
        #expect(abs(offset) < 2, "offset \(offset)")
        #expect(alignment.basis.contains("proxy.golang.org"))
    }

    @Test("a bare log without a clock is placed where the capture shows its host")
    func placedBare() throws {
        let expectation = try #require(SampleExpectation.all.first { $0.folder == "dns-nxdomain" })
        let report = Self.analyze(expectation)
        let alignment = try #require(report.alignment.first)
        #expect(alignment.method == .placedBySubject)
        #expect(alignment.placedAt != nil)
    }
}
