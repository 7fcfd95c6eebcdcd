import Foundation
import Testing
import Faultline
import FaultlineCore
import FaultlineReport
@testable import FaultlineCapture

/// Where a capture and a log disagree (issue 15), on the real runs of `Samples/dns/`
/// (`Samples/scripts/make-dns-samples.sh`): the log's own proven failure is not outranked
/// by someone else's DNS, a passing test's lookup time-out breaks nothing, and a capture
/// names the resolver the log could not.
@Suite("A capture beside a log")
struct CaptureBesideLogTests {
    static func sample(_ path: String) -> String { TestSupport.samples.appendingPathComponent("dns/" + path).path }

    @Test("another process walking its search list (NXDOMAIN, then an answer) beside a proxy's 403: the 403, and the walk is background")
    func searchWalkBesideProxy403() throws {
        let report = TestSupport.analyze([Self.sample("proxy-403-search-noise")])
        #expect(report.verdict == .failure)
        #expect(report.hypotheses.map(\.cause) == ["proxy_forbidden"])
        let top = try #require(report.hypotheses.first)
        #expect(top.evidence.first?.line == 1)
        #expect(top.evidence.first?.text.hasSuffix("@v/v1.0.0.zip: 403 Forbidden") == true)
        #expect(report.alsoSeen == nil)
        let note = try #require(report.diagnostics.first { $0.code == "capture.judged-routine" })
        #expect(note.message.hasPrefix("NXDOMAIN for 7 search-list tries on the way to a name that answered"
                                       + " (metrics-agent.monitoring.prod.corp.example → metrics-agent.corp.example,"
                                       + " metrics-agent.prod.corp.example → metrics-agent.corp.example,"
                                       + " otel-collector.monitoring.prod.corp.example → otel-collector.corp.example, …)"), "\(note.message)")
        // The capture alone: each walk ended in an answer (vault's at the bare name), so nothing failed.
        let alone = TestSupport.analyze([Self.sample("proxy-403-search-noise/dns.pcap")])
        #expect(alone.verdict == .success)
        #expect(alone.hypotheses.isEmpty)
    }

    @Test("a search walk is a failed name sharing its head with a later answered one, through nested suffixes or the bare name")
    func searchWalkShape() {
        let t = { (seconds: Int64) in CaptureTime(seconds: 100 + seconds, nanoseconds: 0) }
        let names = [
            SearchWalk.Name(name: "vault.prod.corp.example", firstFrame: 1, firstTime: t(0), resolved: false),
            SearchWalk.Name(name: "vault.corp.example", firstFrame: 3, firstTime: t(0), resolved: false),
            SearchWalk.Name(name: "vault", firstFrame: 5, firstTime: t(0), resolved: true),
            // Siblings, not a walk: the suffixes are not nested.
            SearchWalk.Name(name: "www.typo.example", firstFrame: 7, firstTime: t(1), resolved: false),
            SearchWalk.Name(name: "www.example.com", firstFrame: 9, firstTime: t(1), resolved: true),
            // Nested, but asked 38 s apart: not one walk.
            SearchWalk.Name(name: "api.old.example", firstFrame: 11, firstTime: t(2), resolved: false),
            SearchWalk.Name(name: "api.example", firstFrame: 13, firstTime: t(40), resolved: true),
        ]
        let tries = SearchWalk.tries(names) { !names[$0].resolved }
        #expect(tries.mapValues { $0 } == [0: "vault", 1: "vault"])
    }

    @Test("findings about names no log line mentions are one also-seen note below the log's cause, not a hypothesis per name")
    func unrelatedFindingsAside() throws {
        let report = TestSupport.analyze([Self.sample("proxy-403-search-noise/build.log"), Self.sample("go-servfail-several-hosts/dns.pcap")])
        #expect(report.verdict == .failure)
        #expect(report.hypotheses.map(\.cause) == ["proxy_forbidden"])
        let aside = try #require(report.alsoSeen)
        #expect(aside.reason == .unrelated)
        #expect(aside.findings.map(\.cause) == ["dns_servfail"])
        let finding = try #require(aside.findings.first)
        #expect(finding.subjects["hosts"] == "git.corp.example, artifacts.corp.example, proxy.corp.example")
        #expect(finding.evidence.map(\.frame) == [1, 9, 17])
        #expect(aside.text == "Also seen, about names no log line mentions (not ranked with the causes): Resolver 10.95.0.53:53 answered"
                + " SERVFAIL for git.corp.example, artifacts.corp.example and proxy.corp.example.")
        let text = TextReportRenderer(colour: false).render(report)
        #expect(text.contains("also seen: Also seen, about names no log line mentions"))
        #expect(text.contains("  - dns_servfail: Resolver 10.95.0.53:53 answered SERVFAIL for git.corp.example"))
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("<aside id=\"also-seen\">"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReportRenderer().render(report).utf8)) as? [String: Any])
        #expect(try ContractTests.schema().errors(json).isEmpty)
        let note = try #require(json["also_seen"] as? [String: Any])
        #expect(note["reason"] as? String == "unrelated")
        #expect((note["findings"] as? [[String: Any]])?.count == 1)
    }

    @Test("a passing test that prints a real lookup time-out stays healthy, with -v or without, capture or not",
          arguments: ["go-test-passed-lookup-timeout", "go-test-passed-quiet"])
    func passingTestLookupTimeout(_ name: String) throws {
        let log = TestSupport.analyze([Self.sample(name + "/build.log")])
        #expect(log.verdict == .success, "\(log.hypotheses.map(\.cause))")
        #expect(log.hypotheses.isEmpty)
        let both = TestSupport.analyze([Self.sample(name)])
        #expect(both.verdict == .success, "\(both.hypotheses.map(\.cause))")
        #expect(both.hypotheses.isEmpty)
        // What the capture shows is told, not ranked: the resolver the test asked never answered.
        let aside = try #require(both.alsoSeen)
        #expect(aside.reason == .buildHealthy)
        #expect(aside.findings.map(\.cause) == ["dns_server_unreachable"])
        #expect(aside.findings.first?.subjects[Subjects.Key.nameserver] == "10.95.1.53:53")
    }

    @Test("go's `dial tcp: lookup HOST: i/o timeout` is a DNS time-out; the capture names the resolver the line does not")
    func lookupTimeoutWithoutServer() throws {
        let log = TestSupport.analyze([Self.sample("go-lookup-timeout/build.log")])
        #expect(log.hypotheses.map(\.cause) == ["dns_server_unreachable"])
        let top = try #require(log.hypotheses.first)
        #expect(top.subjects[Subjects.Key.host] == "proxy.golang.org")
        #expect(top.subjects[Subjects.Key.nameserver] == nil)
        #expect(top.evidence.first?.line == 1)
        #expect(top.evidence.first?.text.hasSuffix("dial tcp: lookup proxy.golang.org: i/o timeout") == true)
        let both = TestSupport.analyze([Self.sample("go-lookup-timeout")])
        #expect(both.hypotheses.map(\.cause) == ["dns_server_unreachable"])
        let joined = try #require(both.hypotheses.first)
        #expect(joined.subjects[Subjects.Key.nameserver] == "10.95.1.53:53")
        #expect(joined.title == "Resolver 10.95.1.53:53 never answered for proxy.golang.org")
        #expect(joined.evidence.map(\.line) == [1, nil])
        #expect(joined.evidence.last?.text == "2 queries to 10.95.1.53:53 for proxy.golang.org (AAAA, A), none answered (frames 1, 2)")
        #expect(joined.verify.first == "nslookup proxy.golang.org 10.95.1.53")   // go's pack: the log says which tool
    }

    @Test("one query sent again and never answered is enough to name the resolver")
    func oneQueryRetransmitted() throws {
        // npm/dns-unreachable's capture: glibc's one A query, and the same query again a second later.
        let report = TestSupport.analyze([TestSupport.samples.appendingPathComponent("npm/dns-unreachable/dns.pcap").path])
        #expect(report.verdict == .failure)
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "dns_server_unreachable")
        #expect(top.subjects[Subjects.Key.nameserver] == "10.98.0.53:53")
        #expect(top.evidence.map(\.frame) == [1])
        #expect(top.evidence.first?.text == "1 query to 10.98.0.53:53 for registry.npmjs.org (A), sent again 1 time, none answered (frames 1, 2)")
    }

    @Test("ICMP port unreachable for every query: the resolver is not serving, the ICMP frames are the evidence; npm's EAI_AGAIN gets its resolver")
    func resolverPortClosed() throws {
        let alone = TestSupport.analyze([Self.sample("npm-resolver-port-closed/dns.pcap")])
        let top = try #require(alone.hypotheses.first)
        #expect(top.cause == "dns_server_unreachable")
        #expect(top.subjects[Subjects.Key.nameserver] == "10.95.0.54:53")
        #expect(top.evidence.first?.text == "2 queries to 10.95.0.54:53 for registry.npmjs.org (A), none answered; 2 ICMP port unreachable (frames 1–4)")
        let both = TestSupport.analyze([Self.sample("npm-resolver-port-closed")])
        #expect(both.hypotheses.map(\.cause) == ["dns_server_unreachable"])
        let joined = try #require(both.hypotheses.first)
        #expect(joined.subjects[Subjects.Key.nameserver] == "10.95.0.54:53")
        #expect(joined.evidence.map(\.line) == [4, nil])
        #expect(joined.evidence.first?.text.hasSuffix("getaddrinfo EAI_AGAIN registry.npmjs.org") == true)
        #expect(joined.evidence.last?.frame == 1)
    }

    @Test("SERVFAIL for three names at one resolver is one incident listing them: from the log, the capture, or both",
          arguments: ["go-servfail-several-hosts/build.log", "go-servfail-several-hosts/dns.pcap", "go-servfail-several-hosts"])
    func severalNamesOneResolver(_ path: String) throws {
        let report = TestSupport.analyze([Self.sample(path)])
        #expect(report.hypotheses.map(\.cause) == ["dns_servfail"])
        let top = try #require(report.hypotheses.first)
        #expect(top.subjects[Subjects.Key.host] == "git.corp.example")
        #expect(top.subjects[Subjects.Key.nameserver] == "10.95.0.53:53")
        #expect(top.subjects["hosts"] == "git.corp.example, artifacts.corp.example, proxy.corp.example")
        #expect(top.title == "Resolver 10.95.0.53:53 answered SERVFAIL for git.corp.example, artifacts.corp.example and proxy.corp.example")
        let lines = top.evidence.compactMap(\.line), frames = top.evidence.compactMap(\.frame)
        if path.hasSuffix("build.log") {
            #expect(lines == [1, 2, 3])
        } else if path.hasSuffix(".pcap") {
            #expect(frames == [1, 9, 17])
        } else {
            #expect(lines == [1, 2, 3])
            #expect(frames == [1, 9, 17])
        }
        #expect(top.verify.contains("dig @10.95.0.53 git.corp.example"))
    }
}
