import Foundation
import Testing
import Faultline
import FaultlineCore

/// `analyze` on a capture alone: what is routine is not a failure, the side the
/// capture was taken on is recognised, and a resolver that goes silent part-way is named.
@Suite("Judging a capture alone")
struct CaptureJudgementTests {
    typealias B = PcapBuilder

    @Test("every public capture gets the verdict verdicts.tsv gives it", arguments: CaptureCorpusTests.table("verdicts.tsv"))
    func corpusVerdict(_ row: [String]) throws {
        try #require(row.count == 4)
        let report = TestSupport.analyze([CaptureCorpusTests.folder.appendingPathComponent(row[0]).path])
        if row[1] == "failure" {
            #expect(report.verdict == .failure, "\(row[0])")
            #expect(report.hypotheses.first?.cause == row[2], "\(row[0]): \(report.hypotheses.map(\.cause))")
        } else {
            #expect(report.verdict != .failure, "\(row[0]): \(report.hypotheses.map { "\($0.cause): \($0.title)" })")
            #expect(report.hypotheses.isEmpty, "\(row[0])")
        }
    }

    @Test("a server-side capture says so, and its unanswered queries are not a failure")
    func serverSide() throws {
        let report = TestSupport.analyze([CaptureCorpusTests.folder.appendingPathComponent("05-gopacket-test_dns.pcap").path])
        #expect(report.verdict != .failure)
        let note = try #require(report.diagnostics.first { $0.code == "capture.judged-routine" })
        #expect(note.message.contains("this looks like a server-side capture: 9 clients on the internet asked 95.211.92.14:53, 95.211.92.15:53"))
        #expect(note.message.contains("only the queries' direction was captured"))
    }

    @Test("background NXDOMAIN and LLMNR are named as such, not failures")
    func background() throws {
        let report = TestSupport.analyze([CaptureCorpusTests.folder.appendingPathComponent("68-suricata-dns-udp-nxdomain-soa.pcap").path])
        #expect(report.verdict != .failure)
        #expect(report.diagnostics.contains { $0.message.contains("NXDOMAIN for names no client asked again (dne.oisf.net)") })
        let llmnr = TestSupport.analyze([CaptureCorpusTests.folder.appendingPathComponent("66-suricata-llmnr-authority-additional.pcap").path])
        #expect(llmnr.hypotheses.isEmpty)
    }

    @Test("NXDOMAIN asked again, or for A and AAAA, is still a failure; `local` SOA is not")
    func nxdomainRetried() throws {
        var capture = B(linkType: 1)
        let c = "10.0.0.2", s = "10.0.0.53"
        capture.add(B.ethernet(B.udp4(c, s, 40001, 53, B.query(id: 1, "typo.example"))), time: 100)
        capture.add(B.ethernet(B.udp4(s, c, 53, 40001, B.response(id: 1, "typo.example", rcode: 3))), time: 100.01)
        capture.add(B.ethernet(B.udp4(c, s, 40002, 53, B.query(id: 2, "typo.example", type: 28))), time: 100.02)
        capture.add(B.ethernet(B.udp4(s, c, 53, 40002, B.response(id: 2, "typo.example", type: 28, rcode: 3))), time: 100.03)
        capture.add(B.ethernet(B.udp4(c, s, 40003, 53, B.query(id: 3, "local", type: 6))), time: 101)
        capture.add(B.ethernet(B.udp4(s, c, 53, 40003, B.response(id: 3, "local", type: 6, rcode: 3))), time: 101.01)
        capture.add(B.ethernet(B.udp4(c, s, 40004, 53, B.query(id: 4, "local", type: 6))), time: 102)
        capture.add(B.ethernet(B.udp4(s, c, 53, 40004, B.response(id: 4, "local", type: 6, rcode: 3))), time: 102.01)
        let report = TestSupport.analyze([try TestSupport.scratchFile("nxdomain-twice.pcap", capture.bytes)])
        #expect(report.verdict == .failure)
        #expect(report.hypotheses.map(\.cause) == ["dns_nxdomain"])
        #expect(report.hypotheses.first?.subjects[Subjects.Key.host] == "typo.example")
    }

    @Test("a resolver that goes silent part-way is named: from when, for which clients; its search-list tries are that silence")
    func silentResolver() throws {
        var capture = B(linkType: 1)
        let s = "10.0.0.53"
        // Answered for a while…
        for i in 0..<4 {
            let c = "10.0.0.\(2 + i % 2)"
            capture.add(B.ethernet(B.udp4(c, s, 41000 + i, 53, B.query(id: i, "ok\(i).example"))), time: 100 + Double(i))
            capture.add(B.ethernet(B.udp4(s, c, 53, 41000 + i, B.response(id: i, "ok\(i).example", addresses: ["192.0.2.1"]))),
                        time: 100.01 + Double(i))
        }
        // …then nothing, for two clients, including search-list tries.
        let silent = ["proxy.golang.org.svc.cluster.local", "proxy.golang.org.cluster.local", "proxy.golang.org", "proxy.golang.org"]
        for (i, name) in silent.enumerated() {
            let c = "10.0.0.\(2 + i % 2)"
            capture.add(B.ethernet(B.udp4(c, s, 42000 + i, 53, B.query(id: 100 + i, name))), time: 110 + Double(i))
        }
        capture.add(B.ethernet(B.udp4("10.0.0.2", "10.0.0.9", 43000, 80, [0])), time: 130)
        let report = TestSupport.analyze([try TestSupport.scratchFile("silent.pcap", capture.bytes)])
        #expect(report.verdict == .failure)
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "dns_server_unreachable")
        #expect(top.title == "Resolver 10.0.0.53:53 never answered from frame 9 on for proxy.golang.org")
        #expect(report.hypotheses.allSatisfy { $0.cause != "dns_search_expansion" }, "\(report.hypotheses.map(\.cause))")
        let text = top.evidence.map(\.text).joined(separator: "\n")
        #expect(text.contains("10.0.0.53:53 answered 4 queries, then went silent: none of the 4 queries from 10.0.0.2, 10.0.0.3 since frame 9"),
                "\(text)")
    }
}
