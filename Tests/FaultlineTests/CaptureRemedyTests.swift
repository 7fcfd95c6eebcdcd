import Foundation
import Testing
import Faultline

/// A capture alone names no tool: its causes' fixes come from the capture's own pack (`dns.yaml`),
/// not from whichever tool's pack happens to come first.
@Suite("Fixes for a capture alone")
struct CaptureRemedyTests {
    // (npm/dns-nxdomain's capture alone holds one NXDOMAIN nobody asked again: background, judged so by
    // `DNSBackground`; with npm's log beside it the cause is found, below.)
    static let captures = ["go/dns-nxdomain", "go/dns-unreachable", "go/dns-refused", "npm/dns-servfail", "npm/dns-unreachable",
                           "dns/npm-resolver-port-closed", "dns/go-lookup-timeout", "dns/go-servfail-several-hosts"]

    @Test("a capture's DNS causes get tool-neutral fixes; with the tool's log beside it, the tool's own", arguments: captures)
    func neutralFixes(folder: String) throws {
        let dir = TestSupport.samples.appendingPathComponent(folder)
        let capture = dir.appendingPathComponent("dns.pcap").path
        guard FileManager.default.fileExists(atPath: capture) else {
            Issue.record("no capture in \(folder)")
            return
        }
        let alone = TestSupport.analyze([capture])
        let top = try #require(alone.hypotheses.first)
        #expect(top.cause.hasPrefix("dns_"))
        // The queried name (registry.npmjs.org) may name a tool; the words around it must not.
        let fixes = (top.remediation + top.verify).joined(separator: "\n")
            .replacingOccurrences(of: top.subjects["host"] ?? "\u{0}", with: "HOST")
        #expect(!fixes.isEmpty)
        for tool in ["npm", "GOPROXY", "go.sum", "registry", "yarn"] {
            #expect(!fixes.contains(tool), "\(folder): a capture alone was told about \(tool): \(fixes)")
        }
        #expect(top.verify.contains { $0.hasPrefix("dig @") }, "\(folder): \(top.verify)")
        // The whole folder (the tool's log too): the tool's pack speaks first.
        let together = TestSupport.analyze([dir.path])
        if folder.hasSuffix("dns-nxdomain") {
            #expect(together.hypotheses.first?.cause == "dns_nxdomain")
            let withLog = (together.hypotheses.first?.remediation ?? []).joined(separator: "\n")
            #expect(withLog.contains("GOPROXY"), "\(folder): \(withLog)")
        }
    }

    @Test("npm's log beside its capture: npm's own fix for an NXDOMAIN, the resolver from the capture")
    func npmLogBesideCapture() throws {
        let together = TestSupport.analyze([TestSupport.samples.appendingPathComponent("npm/dns-nxdomain").path])
        let top = try #require(together.hypotheses.first)
        #expect(top.cause == "dns_nxdomain")
        #expect(top.subjects["nameserver"] == "10.98.0.53:53")
        #expect(top.remediation.joined(separator: "\n").contains("npm config get registry"))
    }
}
