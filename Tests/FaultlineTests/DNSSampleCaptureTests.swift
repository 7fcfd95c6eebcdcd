import Foundation
import Testing
import Faultline
import FaultlineCapture

/// What a sample's capture must show: checked by hand against `tcpdump -nr dns.pcap`.
struct DNSSampleCase: CustomTestStringConvertible, Sendable {
    var folder: String
    var cause: String
    var nameserver: String
    /// The finding's frames as its text names them, and its evidence frame.
    var frames: String
    var frame: Int
    /// Words the finding's text must hold.
    var says: [String]
    /// Each transaction's event text, in order.
    var transactions: [String]

    var testDescription: String { folder }

    static let all: [DNSSampleCase] = [
        // tcpdump: 4 queries to 10.99.1.53.53 (AAAA, A, then A, AAAA a second later), nothing else.
        DNSSampleCase(folder: "dns-unreachable", cause: "dns_server_unreachable", nameserver: "10.99.1.53:53",
                      frames: "frames 1–4", frame: 1, says: ["4 queries to 10.99.1.53:53", "none answered"],
                      transactions: ["AAAA? proxy.golang.org → no reply", "A? proxy.golang.org → no reply",
                                     "A? proxy.golang.org → no reply", "AAAA? proxy.golang.org → no reply"]),
        // tcpdump: 4 queries to 10.99.1.53.53 (A, AAAA, then again a second later), nothing else.
        DNSSampleCase(folder: "dns-unreachable-logger", cause: "dns_server_unreachable", nameserver: "10.99.1.53:53",
                      frames: "frames 1–4", frame: 1, says: ["4 queries to 10.99.1.53:53", "none answered"],
                      transactions: ["A? proxy.golang.org → no reply", "AAAA? proxy.golang.org → no reply",
                                     "A? proxy.golang.org → no reply", "AAAA? proxy.golang.org → no reply"]),
        // tcpdump: each of 4 queries to 10.99.2.53 draws "ICMP host 10.99.2.53 unreachable - admin prohibited filter".
        DNSSampleCase(folder: "dns-noroute", cause: "dns_server_unreachable", nameserver: "10.99.2.53:53",
                      frames: "frames 1–8", frame: 1, says: ["4 ICMP administratively prohibited"],
                      transactions: ["AAAA? proxy.golang.org → no reply (ICMP administratively prohibited, frame 3)",
                                     "A? proxy.golang.org → no reply (ICMP administratively prohibited, frame 4)",
                                     "A? proxy.golang.org → no reply (ICMP administratively prohibited, frame 6)",
                                     "AAAA? proxy.golang.org → no reply (ICMP administratively prohibited, frame 8)"]),
        // tcpdump: 25743 NXDomain* 0/0/0 after 0.609 ms, 37534 NXDomain* after 0.862 ms.
        DNSSampleCase(folder: "dns-nxdomain", cause: "dns_nxdomain", nameserver: "10.99.0.53:53",
                      frames: "frames 1–4", frame: 1, says: ["NXDOMAIN 2 times for proxy.golang.org"],
                      transactions: ["AAAA? proxy.golang.org → NXDOMAIN (0.6 ms)", "A? proxy.golang.org → NXDOMAIN (0.9 ms)"]),
        // tcpdump: four ServFail* answers (0.694, 0.864, 0.321, 0.521 ms).
        DNSSampleCase(folder: "dns-servfail", cause: "dns_servfail", nameserver: "10.99.0.53:53",
                      frames: "frames 1–8", frame: 1, says: ["SERVFAIL 4 times"],
                      transactions: ["AAAA? proxy.golang.org → SERVFAIL (0.7 ms)", "A? proxy.golang.org → SERVFAIL (0.9 ms)",
                                     "AAAA? proxy.golang.org → SERVFAIL (0.3 ms)", "A? proxy.golang.org → SERVFAIL (0.5 ms)"]),
        // tcpdump: four Refused* answers (0.621, 0.949, 0.568, 0.466 ms).
        DNSSampleCase(folder: "dns-refused", cause: "dns_refused", nameserver: "10.99.0.53:53",
                      frames: "frames 1–8", frame: 1, says: ["REFUSED 4 times"],
                      transactions: ["AAAA? proxy.golang.org → REFUSED (0.6 ms)", "A? proxy.golang.org → REFUSED (0.9 ms)",
                                     "AAAA? proxy.golang.org → REFUSED (0.6 ms)", "A? proxy.golang.org → REFUSED (0.5 ms)"]),
        // tcpdump: answers 1.400792, 1.401024, 1.400865, 1.400996 s after their queries, each followed by
        // "ICMP 10.99.0.2 udp port … unreachable".
        DNSSampleCase(folder: "dns-slow", cause: "dns_slow", nameserver: "10.99.0.53:53",
                      frames: "frames 1–12", frame: 1, says: ["4 answers", "1.40 s after the query", "4 ICMP port unreachable"],
                      transactions: ["AAAA? proxy.golang.org → NOERROR (1.40 s)", "A? proxy.golang.org → NOERROR 10.99.0.1 (1.40 s)",
                                     "AAAA? proxy.golang.org → NOERROR (1.40 s)", "A? proxy.golang.org → NOERROR 10.99.0.1 (1.40 s)"]),
        // tcpdump: A? proxy.golang.org.corp.example → A 10.99.0.77; AAAA? → 0/0/0. proxy.golang.org never asked.
        DNSSampleCase(folder: "dns-search-expansion", cause: "dns_search_expansion", nameserver: "10.99.0.53:53",
                      frames: "frames 1–4", frame: 1,
                      says: ["proxy.golang.org.corp.example", "the client got 10.99.0.77", "never asked for proxy.golang.org"],
                      transactions: ["A? proxy.golang.org.corp.example → NOERROR 10.99.0.77 (0.6 ms)",
                                     "AAAA? proxy.golang.org.corp.example → NOERROR (1.0 ms)"]),
    ]
}

@Suite("DNS in the real sample captures")
struct DNSSampleCaptureTests {
    static func capture(_ folder: String) -> String {
        TestSupport.samples.appendingPathComponent("go").appendingPathComponent(folder).appendingPathComponent("dns.pcap").path
    }

    @Test("each DNS failure's capture yields its finding, with host, resolver and frames", arguments: DNSSampleCase.all)
    func finding(_ expected: DNSSampleCase) throws {
        let (transactions, findings, summary) = try DNSTestRun.events(Self.capture(expected.folder))
        #expect(transactions.map(\.text) == expected.transactions)
        #expect(summary.readError == nil)
        #expect(findings.count == 1, "\(findings.map(\.text))")
        let finding = try #require(findings.first)
        #expect(finding.cause == expected.cause)
        #expect(finding.kind == EventKind("dns.finding"))
        #expect(finding.layer == .networkDNS)
        #expect(finding.subjects[Subjects.Key.host] == "proxy.golang.org")
        #expect(finding.subjects[Subjects.Key.nameserver] == expected.nameserver)
        #expect(finding.location.frame == expected.frame)
        #expect(finding.text.hasSuffix("(\(expected.frames))"), "\(finding.text)")
        for words in expected.says { #expect(finding.text.contains(words), "\(finding.text)") }
        #expect(finding.confidence >= 0.85 && finding.confidence <= 0.95)
        #expect(finding.severity == .error)
        if expected.cause == "dns_search_expansion" { #expect(finding.subjects[Subjects.Key.address] == "10.99.0.77") }
    }

    @Test("transaction events carry the contract's subjects")
    func transactionSubjects() throws {
        let (slow, _, _) = try DNSTestRun.events(Self.capture("dns-slow"))
        let answered = try #require(slow.dropFirst().first)
        #expect(answered.kind == EventKind("dns.transaction"))
        #expect(answered.severity == .info)
        #expect(answered.cause == nil)
        #expect(answered.subjects.values == [
            "host": "proxy.golang.org", "nameserver": "10.99.0.53:53", "client": "10.99.0.2:36650", "qtype": "A",
            "rcode": "NOERROR", "rtt_ms": "1401.024", "answers": "10.99.0.1",
        ])
        // tcpdump -tt: the query left at 1795664720.369802.
        #expect(answered.time.clock == .absolute)
        #expect(abs((answered.time.seconds ?? 0) - 1_795_664_720.369802) < 1e-6)
        #expect(answered.location.frame == 2)
        let (unreachable, _, _) = try DNSTestRun.events(Self.capture("dns-unreachable"))
        #expect(unreachable.first?.subjects.values == [
            "host": "proxy.golang.org", "nameserver": "10.99.1.53:53", "client": "10.99.0.2:42561", "qtype": "AAAA", "rcode": "none",
        ])
    }

    @Test("a search-list storm that broke nothing is only a low-confidence observation, never an error")
    func noisyButHealthy() throws {
        let (transactions, findings, _) = try DNSTestRun.events(Self.capture("healthy-noisy-dns"))
        // Three suffixes × A and AAAA answered NXDOMAIN, then the bare name NOERROR (tcpdump -nr shows the same 8 pairs).
        #expect(transactions.filter { $0.subjects["rcode"] == "NXDOMAIN" }.count == 6)
        #expect(transactions.filter { $0.subjects["host"] == "proxy.golang.org" }.allSatisfy { $0.subjects["rcode"] == "NOERROR" })
        #expect(findings.count == 1)
        #expect(findings.allSatisfy { $0.cause == "dns_search_expansion" && $0.severity < .error && $0.confidence < 0.5 })
    }

    @Test("captures of builds whose DNS worked give no DNS finding, every query answered")
    func healthyDNS() throws {
        let base = TestSupport.samples.appendingPathComponent("go")
        let failing = Set(DNSSampleCase.all.map(\.folder))
        var checked = 0
        for folder in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted()
            where !failing.contains(folder) && folder != "healthy-noisy-dns" {
            let path = Self.capture(folder)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let (transactions, findings, _) = try DNSTestRun.events(path)
            #expect(findings.isEmpty, "\(folder): \(findings.map(\.text))")
            #expect(!transactions.isEmpty)
            #expect(transactions.allSatisfy { $0.subjects["rcode"] == "NOERROR" }, "\(folder)")
            checked += 1
        }
        #expect(checked >= 15)
    }

    @Test("faultline analyze on a capture alone names the DNS cause with frames as evidence", arguments: DNSSampleCase.all)
    func analyze(_ expected: DNSSampleCase) throws {
        let report = TestSupport.analyze([Self.capture(expected.folder)])
        #expect(report.inputs.first?.format == "pcap")
        #expect(report.inputs.first?.contains.contains("dns") == true)
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == expected.cause)
        #expect(top.subjects[Subjects.Key.nameserver] == expected.nameserver)
        #expect(top.evidence.contains { $0.frame == expected.frame })
        // The capture's bad checksums (taken on the sending host) are noted, not errors.
        #expect(report.diagnostics.allSatisfy { $0.severity < .warning }, "\(report.diagnostics)")
    }
}
