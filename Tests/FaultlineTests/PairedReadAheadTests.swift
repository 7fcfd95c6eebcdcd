import Foundation
import Testing
import Faultline
import FaultlineCapture

/// `analyze` reads, decodes and pairs a capture file on a thread of its own
/// (`DNSCaptureReader.run(tallyingInto:event:)`: `PayloadReadAhead` with a
/// `BatchPairer`) and tallies on the caller's, queries answered in time crossing
/// as plain values: the events, summaries, findings and read summary must be
/// exactly what one thread handing over whole transactions makes.
@Suite("Pairing ahead on a thread of its own")
struct PairedReadAheadTests {
    /// The events `analyze` makes of a capture (each with its subjects), and the read's summary.
    static func trace(_ path: String, ahead: Bool) throws -> (events: [String], summary: DNSCaptureReader.Summary) {
        let source = try PcapFile(path: path)
        let reader = DNSCaptureReader(source: source)
        var builder = DNSEventBuilder(inputIndex: 0, layers: [:], names: reader.nameReader)
        var events: [Event] = []
        let summary: DNSCaptureReader.Summary
        if ahead {
            summary = reader.run(tallyingInto: &builder) { events.append($0.event) }
        } else {
            summary = reader.run(transaction: { t, m in
                if let event = builder.event(for: t, message: m) { events.append(event) }
            }, unreachable: { builder.observe($0) })
        }
        events += builder.summaryEvents() + builder.findingEvents()
        let lines = events.map { event in
            "\(event.kind.rawValue) \(event.location.frame ?? -1) \(event.time.seconds ?? -1) \(event.text) "
                + event.subjects.sortedKeys.map { "\($0)=\(event.subjects[$0] ?? "")" }.joined(separator: " ")
        }
        return (lines, summary)
    }

    static func expectSame(_ path: String) throws {
        let one = try trace(path, ahead: false)
        let two = try trace(path, ahead: true)
        #expect(!one.events.isEmpty)
        #expect(two.events == one.events, "\(path)")
        #expect(two.summary.frames == one.summary.frames)
        #expect(two.summary.dnsMessages == one.summary.dnsMessages)
        #expect(two.summary.transactions == one.summary.transactions)
        #expect(two.summary.weirds.diagnostics(input: "x").map(\.message) == one.summary.weirds.diagnostics(input: "x").map(\.message))
        #expect(two.summary.readError?.message == one.summary.readError?.message)
    }

    @Test("public captures: ICMP unreachables, TCP, fragments, tunnels, mDNS, malformed messages", arguments: [
        "Tests/FaultlineTests/Corpus/captures/44-zeek-gre-sample.pcap",
        "Tests/FaultlineTests/Corpus/captures/70-suricata-dns-bug-1158.pcap",
        "Tests/FaultlineTests/Corpus/captures/17-dnscap-frags.pcap",
        "Tests/FaultlineTests/Corpus/captures/53-ndpi-malformed_dns.pcap",
        "Tests/FaultlineTests/Conformance/zeek-dns/traces/dns-edns-ecs.pcap",
        "Tests/FaultlineTests/Conformance/zeek-dns/traces/wikipedia.pcap",
    ])
    func publicCaptures(_ path: String) throws {
        try Self.expectSame(TestSupport.root.appendingPathComponent(path).path)
    }

    @Test("thousands of transactions over many batches: answered, unanswered (given up later), errors, in order")
    func manyBatches() throws {
        var capture = PcapBuilder(linkType: 1)
        var time = 1_700_000_000.0
        let names = ["proxy.golang.org", "sum.golang.org", "registry.npmjs.org", "githbu.com", "ghcr.io"]
        for i in 0..<3000 {
            let name = names[i % names.count]
            let client = "10.1.\(i % 7).\(2 + i % 50)"
            capture.add(PcapBuilder.ethernet(PcapBuilder.udp4(client, "10.1.0.53", 20000 + i % 30000, 53, PcapBuilder.query(id: i, name))),
                        time: time)
            // Every eleventh query goes unanswered; the typo is NXDOMAIN.
            if i % 11 != 0 {
                let rcode = name == "githbu.com" ? 3 : 0
                let addresses = rcode == 0 ? ["10.2.0.\(1 + i % 200)"] : []
                capture.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.1.0.53", client, 53, 20000 + i % 30000,
                                                                  PcapBuilder.response(id: i, name, rcode: rcode, addresses: addresses))),
                            time: time + 0.003)
            }
            time += 0.02
        }
        let path = try TestSupport.scratchFile("paired-ahead.pcap", capture.bytes)
        try Self.expectSame(path)
        // Every transaction is an event of its own or counted in its name's summary.
        let events = try Self.trace(path, ahead: true).events
        let own = events.filter { $0.hasPrefix("dns.transaction ") }.count
        let folded = events.filter { $0.hasPrefix("dns.summary ") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("transactions=") }.flatMap { Int($0.dropFirst("transactions=".count)) }
        }.reduce(0, +)
        #expect(own > 0 && folded > 0)
        #expect(own + folded == 3000)
    }
}
