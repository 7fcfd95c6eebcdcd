import Foundation
import Testing
import Faultline
import FaultlineCapture

/// `analyze` reads, decodes and pairs a capture file on a thread of its own
/// (`DNSCaptureReader.runPairingAhead`) and tallies on the caller's: the caller
/// must get exactly what one thread would hand it, in the same order.
@Suite("Pairing ahead on a thread of its own")
struct PairedReadAheadTests {
    /// Each transaction and unreachable as a line (with what its lent message says), the events
    /// `analyze` makes of them, and the read's summary.
    static func trace(_ path: String, ahead: Bool) throws -> (lines: [String], events: [String], summary: DNSCaptureReader.Summary) {
        let source = try PcapFile(path: path)
        let reader = DNSCaptureReader(source: source)
        var builder = DNSEventBuilder(inputIndex: 0, layers: [:], names: reader.nameReader)
        var lines: [String] = []
        var events: [String] = []
        func onTransaction(_ t: DNSTransaction, _ m: DNSMessage?) {
            let name = t.name.map { String(decoding: $0, as: UTF8.self) } ?? "-"
            lines.append("\(t.firstFrame) \(t.response?.frame ?? -1) \(t.id) \(name) rcode \(t.response?.rcode ?? 999)"
                         + " answers \(m?.answersParsed ?? -1)/\(m?.bytes.count ?? -1)/\(m?.isComplete ?? false)/\(m?.edns?.udpPayloadSize ?? 0)"
                         + " \(t.late) \(t.duplicate) \(t.multicast) \(t.query?.retransmissions ?? -1)")
            if let event = builder.event(for: t, message: m) { events.append(event.text) }
        }
        func onUnreachable(_ icmp: ICMPUnreachable) {
            lines.append("icmp \(icmp.frame)")
            builder.observe(icmp)
        }
        let summary = ahead ? reader.runPairingAhead(transaction: onTransaction, unreachable: onUnreachable)
            : reader.run(transaction: onTransaction, unreachable: onUnreachable)
        events += (builder.summaryEvents() + builder.findingEvents()).map(\.text)
        return (lines, events, summary)
    }

    static func expectSame(_ path: String) throws {
        let one = try trace(path, ahead: false)
        let two = try trace(path, ahead: true)
        #expect(!one.lines.isEmpty)
        #expect(two.lines == one.lines, "\(path)")
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
        #expect(try Self.trace(path, ahead: true).lines.count == 3000)
    }
}
