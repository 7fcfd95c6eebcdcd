import Testing
import Faultline
import FaultlineCapture
@testable import FaultlineEngine

/// `faultline analyze` gives the first few transactions of each name an event
/// and folds the rest into one `dns.summary` per name and resolver: what the
/// engine learns per name must not change by a single count.
@Suite("DNS events folded per name")
struct DNSEventFoldingTests {
    /// Every event of a capture, transactions as they come, then summaries and findings.
    static func events(_ path: String, routineEvents: Int = 2, unusualEvents: Int = 16) throws -> [Event] {
        let source = try PcapFile(path: path)
        let reader = DNSCaptureReader(source: source)
        var builder = DNSEventBuilder(inputIndex: 1, layers: [:], names: reader.nameReader)
        builder.routineEvents = routineEvents
        builder.unusualEvents = unusualEvents
        var events: [Event] = []
        _ = reader.run(transaction: { t, m in
            if let event = builder.event(for: t, message: m) { events.append(event) }
        }, unreachable: { builder.observe($0) })
        return events + builder.summaryEvents() + builder.findingEvents()
    }

    static func observations(_ events: [Event]) -> DNSObservations {
        var observations = DNSObservations()
        for event in events { observations.observe(event) }
        return observations
    }

    static func expectSameRecords(_ folded: DNSObservations, _ unfolded: DNSObservations) {
        #expect(folded.records.keys.sorted() == unfolded.records.keys.sorted())
        for (host, expected) in unfolded.records {
            guard let record = folded.records[host] else { continue }
            #expect(record.queries == expected.queries, "\(host)")
            #expect(record.answered == expected.answered, "\(host)")
            #expect(record.unanswered == expected.unanswered, "\(host)")
            #expect(record.positive == expected.positive, "\(host)")
            #expect(record.rcodes == expected.rcodes, "\(host)")
            #expect(Set(record.nameservers) == Set(expected.nameservers), "\(host)")
            #expect(Set(record.answers) == Set(expected.answers), "\(host)")
            #expect(record.firstFrame == expected.firstFrame, "\(host)")
            #expect(record.lastFrame == expected.lastFrame, "\(host)")
            #expect(record.firstTime == expected.firstTime, "\(host)")
            #expect(record.lastTime == expected.lastTime, "\(host)")
            #expect(record.slowestMilliseconds == expected.slowestMilliseconds, "\(host)")
        }
    }

    @Test("on Zeek's wikipedia trace (upload.wikimedia.org asked 8 times) the per-name records are the same folded or not")
    func realTrace() throws {
        let path = DNSTestRun.conformance.appendingPathComponent("traces/wikipedia.pcap").path
        let folded = try Self.events(path)
        let unfolded = try Self.events(path, routineEvents: .max, unusualEvents: .max)
        let summaries = folded.filter { $0.kind == DNSEventBuilder.summaryKind }
        #expect(!summaries.isEmpty)
        #expect(unfolded.allSatisfy { $0.kind != DNSEventBuilder.summaryKind })
        let upload = try #require(summaries.first { $0.subjects[Subjects.Key.host] == "upload.wikimedia.org" })
        #expect(upload.subjects["transactions"] == "6")
        #expect(folded.filter { $0.kind == DNSEventBuilder.transactionKind && $0.subjects[Subjects.Key.host] == "upload.wikimedia.org" }.count == 2)
        Self.expectSameRecords(Self.observations(folded), Self.observations(unfolded))
        // The findings do not depend on folding.
        #expect(folded.filter { $0.kind == DNSEventBuilder.findingKind }.map(\.text)
            == unfolded.filter { $0.kind == DNSEventBuilder.findingKind }.map(\.text))
    }

    @Test("routine answers beyond two and failures beyond sixteen per name are counted in one summary")
    func caps() throws {
        var capture = PcapBuilder(linkType: 1)
        var time = 1_700_000_000.0
        func exchange(_ id: Int, _ name: String, rcode: Int, addresses: [String], answered: Bool = true) {
            capture.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.1.0.2", "10.1.0.53", 40000 + id, 53, PcapBuilder.query(id: id, name))),
                        time: time)
            if answered {
                capture.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.1.0.53", "10.1.0.2", 53, 40000 + id,
                                                                  PcapBuilder.response(id: id, name, rcode: rcode, addresses: addresses))),
                            time: time + 0.002)
            }
            time += 0.01
        }
        for i in 0..<40 { exchange(i, "proxy.golang.org", rcode: 0, addresses: ["10.1.0.\(7 + i % 6)"]) }
        for i in 40..<60 { exchange(i, "sum.golang.orgg", rcode: 3, addresses: []) }
        let path = try TestSupport.scratchFile("folding.pcap", capture.bytes)
        let events = try Self.events(path)
        let transactions = events.filter { $0.kind == DNSEventBuilder.transactionKind }
        #expect(transactions.filter { $0.subjects[Subjects.Key.host] == "proxy.golang.org" }.count == 2)
        #expect(transactions.filter { $0.subjects[Subjects.Key.host] == "sum.golang.orgg" }.count == 16)
        let summaries = events.filter { $0.kind == DNSEventBuilder.summaryKind }
        #expect(summaries.count == 2)
        let proxy = try #require(summaries.first)
        #expect(proxy.subjects.values == [
            "host": "proxy.golang.org", "nameserver": "10.1.0.53:53", "transactions": "38", "answered": "38", "unanswered": "0",
            "positive": "38", "rcodes": "NOERROR=38", "answers": "10.1.0.9,10.1.0.10,10.1.0.11,10.1.0.12", "rtt_ms": "2.0",
            "last_frame": "79", "last_time": "1700000000.39",
        ])
        #expect(proxy.location.frame == 5)
        #expect(proxy.text == "38 more transactions for proxy.golang.org at 10.1.0.53:53 (A): NOERROR ×38; answers 10.1.0.9, 10.1.0.10, 10.1.0.11, 10.1.0.12; slowest 2.0 ms (frames 5, 79)")
        let nx = try #require(summaries.last)
        #expect(nx.subjects["transactions"] == "4")
        #expect(nx.subjects["rcodes"] == "NXDOMAIN=4")
        // The finding still counts every answer.
        let finding = try #require(events.first { $0.kind == DNSEventBuilder.findingKind })
        #expect(finding.cause == "dns_nxdomain")
        #expect(finding.text.contains("answered NXDOMAIN 20 times for sum.golang.orgg"))
    }
}
