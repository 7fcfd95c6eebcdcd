import Foundation
import Testing
import Faultline
import FaultlineCapture

/// Hand-made captures for what the real ones do not show: every link type,
/// compression loops, cut packets and captures, TCP segmentation, IPv4
/// fragments out of order, retransmissions, time-outs, late and duplicate answers.
@Suite("DNS decoding edge cases")
struct DNSDecoderEdgeTests {
    typealias B = PcapBuilder

    static func write(_ name: String, _ builder: PcapBuilder) throws -> String {
        try TestSupport.scratchFile(name, builder.bytes)
    }

    static let query = B.query(id: 0x1234, "proxy.golang.org")
    static let answer = B.response(id: 0x1234, "proxy.golang.org", addresses: ["10.99.0.1"])

    @Test("the same exchange decodes alike in every link type")
    func linkTypes() throws {
        let q = B.udp4("10.0.0.2", "10.0.0.53", 40000, 53, Self.query)
        let r = B.udp4("10.0.0.53", "10.0.0.2", 53, 40000, Self.answer)
        let wrappers: [(String, UInt32, ([UInt8]) -> [UInt8])] = [
            ("ethernet", 1, { B.ethernet($0) }), ("vlan", 1, { B.ethernet($0, vlan: 42) }), ("sll", 113, B.sll),
            ("sll2", 276, B.sll2), ("raw", 101, { $0 }), ("ipv4", 228, { $0 }), ("null", 0, B.null), ("loop", 108, B.loop),
        ]
        for (name, linkType, wrap) in wrappers {
            var capture = B(linkType: linkType)
            capture.add(wrap(q), time: 1000.25)
            capture.add(wrap(r), time: 1000.2531)
            let output = try DNSTestRun.run(try Self.write("link-\(name).pcap", capture))
            #expect(output.records.count == 1, "\(name)")
            let record = try #require(output.records.first)
            #expect(record["query"] as? String == "proxy.golang.org", "\(name)")
            #expect(record["answers"] as? [String] == ["10.99.0.1"], "\(name)")
            #expect(output.ndjson.contains("\"rtt\":0.003100,"), "\(name): \(output.ndjson)")
            #expect(output.summary.weirds.entries.isEmpty, "\(name): \(output.summary.weirds.entries.map(\.name))")
        }
        // IPv6 over Ethernet.
        let a: [UInt8] = [0xFE, 0x80] + [UInt8](repeating: 0, count: 13) + [2]
        let b: [UInt8] = [0xFE, 0x80] + [UInt8](repeating: 0, count: 13) + [53]
        var v6 = B(linkType: 1)
        v6.add(B.ethernet(B.udp6(a, b, 40000, 53, Self.query), etherType: 0x86DD), time: 5)
        v6.add(B.ethernet(B.udp6(b, a, 53, 40000, Self.answer), etherType: 0x86DD), time: 5.5)
        let output = try DNSTestRun.run(try Self.write("v6.pcap", v6))
        #expect(output.records.first?["id.orig_h"] as? String == "fe80::2")
        #expect(output.records.first?["id.resp_h"] as? String == "fe80::35")
        #expect(output.summary.weirds.entries.isEmpty)
    }

    @Test("a compression pointer to itself is reported, not followed; the rest is still decoded")
    func compressionLoop() throws {
        // The answer's owner name is a pointer at offset 34 pointing to offset 34.
        var looped = Self.answer
        let ownerOffset = 12 + B.name("proxy.golang.org").count + 4
        looped[ownerOffset] = 0xC0
        looped[ownerOffset + 1] = UInt8(ownerOffset)
        var capture = B(linkType: 1)
        capture.add(B.ethernet(B.udp4("10.0.0.2", "10.0.0.53", 40000, 53, Self.query)), time: 1)
        capture.add(B.ethernet(B.udp4("10.0.0.53", "10.0.0.2", 53, 40000, looped)), time: 1.01)
        capture.add(B.ethernet(B.udp4("10.0.0.2", "10.0.0.53", 40001, 53, B.query(id: 7, "example.com"))), time: 2)
        let output = try DNSTestRun.run(try Self.write("loop.pcap", capture))
        let weird = try #require(output.summary.weirds.entries.first)
        #expect(weird.name == "DNS_label_forward_compress_offset")
        #expect(weird.frames == [2])
        #expect(output.records.count == 2)
        #expect(output.records.first?["rcode_name"] as? String == "NOERROR")
        #expect(output.records.first?["answers"] == nil)
        #expect(output.records.last?["query"] as? String == "example.com")
        #expect(output.records.last?["unanswered"] as? Bool == true)
    }

    @Test("every prefix of a response decodes without trapping, each cut noted with its frame")
    func everyCut() throws {
        var capture = B(linkType: 1)
        for length in 0...Self.answer.count {
            capture.add(B.ethernet(B.udp4("10.0.0.53", "10.0.0.2", 53, 40000 + length, Array(Self.answer.prefix(length)))),
                        time: Double(length))
        }
        let output = try DNSTestRun.run(try Self.write("cuts.pcap", capture))
        #expect(output.summary.frames == Self.answer.count + 1)
        // Under 12 bytes there is no header; the rest are responses whose query was not seen.
        #expect(output.summary.weirds.count("DNS_truncated_len_lt_hdr_len") == 12)
        #expect(output.records.count == Self.answer.count + 1 - 12)
        #expect(output.records.allSatisfy { $0["rcode_name"] as? String == "NOERROR" })
        #expect(output.records.filter { $0["answers"] != nil }.count == 1, "only the whole message has its answer")
    }

    @Test("a snaplen-cut answer is noted with its frame and decoded as far as it goes")
    func snaplen() throws {
        var capture = B(linkType: 1)
        capture.add(B.ethernet(B.udp4("10.0.0.2", "10.0.0.53", 40000, 53, Self.query)), time: 1)
        let frame = B.ethernet(B.udp4("10.0.0.53", "10.0.0.2", 53, 40000, Self.answer))
        capture.add(frame, time: 1.002, keep: frame.count - 6)
        let output = try DNSTestRun.run(try Self.write("snaplen.pcap", capture))
        let cut = try #require(output.summary.weirds.entries.first { $0.name == "packet_cut_by_snaplen" })
        #expect(cut.frames == [2])
        // 6 bytes short: the answer's fixed fields are cut.
        #expect(output.summary.weirds.count("DNS_truncated_ans_too_short") == 1)
        #expect(output.records.count == 1)
        #expect(output.records.first?["rcode_name"] as? String == "NOERROR")
        #expect(output.records.first?["answers"] == nil)
        #expect(output.records.first?["response_frame"] as? Int == 2)
    }

    @Test("a capture cut mid-record: what came before is reported, the cut named with its frame")
    func truncatedCapture() throws {
        let source = TestSupport.samples.appendingPathComponent("go/dns-slow/dns.pcap").path
        let data = try #require(FileManager.default.contents(atPath: source))
        // The whole file is 24 + 12 records; cut inside the seventh record.
        let cut = try TestSupport.scratchFile("cut-slow.pcap", Array(data.prefix(24 + 4 * (16 + 87) + 2 * (16 + 76) + 40)))
        let output = try DNSTestRun.run(cut)
        let error = try #require(output.summary.readError)
        #expect(error.code == "capture.corrupt")
        #expect(error.frame == output.summary.frames + 1)
        #expect(output.records.count == 4)
    }

    @Test("DNS over TCP: a query split over two segments, two answers in one segment")
    func tcpSegments() throws {
        let q1 = B.query(id: 1, "a.example")
        let q2 = B.query(id: 2, "b.example")
        let r1 = B.response(id: 1, "a.example", addresses: ["192.0.2.1"])
        let r2 = B.response(id: 2, "b.example", addresses: ["192.0.2.2"])
        let stream = B.be16(q1.count) + q1 + B.be16(q2.count) + q2
        let back = B.be16(r1.count) + r1 + B.be16(r2.count) + r2
        var capture = B(linkType: 1)
        capture.add(B.ethernet(B.tcp4("10.0.0.2", "10.0.0.53", 50000, 53, seq: 99, flags: 0x02, [])), time: 1)
        capture.add(B.ethernet(B.tcp4("10.0.0.53", "10.0.0.2", 53, 50000, seq: 499, flags: 0x12, [])), time: 1.001)
        capture.add(B.ethernet(B.tcp4("10.0.0.2", "10.0.0.53", 50000, 53, seq: 100, Array(stream.prefix(10)))), time: 1.002)
        capture.add(B.ethernet(B.tcp4("10.0.0.2", "10.0.0.53", 50000, 53, seq: 110, Array(stream.dropFirst(10)))), time: 1.003)
        capture.add(B.ethernet(B.tcp4("10.0.0.53", "10.0.0.2", 53, 50000, seq: 500, back)), time: 1.010)
        let output = try DNSTestRun.run(try Self.write("tcp.pcap", capture))
        #expect(output.records.map { $0["query"] as? String } == ["a.example", "b.example"])
        #expect(output.records.map { $0["answers"] as? [String] } == [["192.0.2.1"], ["192.0.2.2"]])
        #expect(output.records.allSatisfy { $0["proto"] as? String == "tcp" })
        #expect(output.ndjson.contains("\"rtt\":0.007000,"))
        #expect(output.summary.weirds.entries.isEmpty)
    }

    @Test("IPv4 fragments arriving out of order are put back together")
    func fragments() throws {
        let big = B.response(id: 9, "big.example", addresses: (1...60).map { "192.0.2.\($0)" })
        var udp = B.be16(53) + B.be16(40000) + B.be16(8 + big.count) + [0, 0] + big
        let sum = B.checksum(B.ipv4("10.0.0.53") + B.ipv4("10.0.0.2") + [0, 17] + B.be16(udp.count) + udp)
        udp[6] = sum[0]
        udp[7] = sum[1]
        let pieces = [Array(udp[0..<400]), Array(udp[400..<800]), Array(udp[800...])]
        var capture = B(linkType: 1)
        capture.add(B.ethernet(B.udp4("10.0.0.2", "10.0.0.53", 40000, 53, B.query(id: 9, "big.example"))), time: 1)
        for (i, order) in [2, 0, 1].enumerated() {
            let more = order < 2 ? 0x2000 : 0
            let ip = B.ipv4Header("10.0.0.53", "10.0.0.2", proto: 17, payloadLength: pieces[order].count, id: 77,
                                  fragment: more | (order * 400 / 8))
            capture.add(B.ethernet(ip + pieces[order]), time: 1.01 + Double(i) / 1000)
        }
        let output = try DNSTestRun.run(try Self.write("fragments.pcap", capture))
        #expect(output.records.count == 1)
        #expect((output.records.first?["answers"] as? [String])?.count == 60)
        #expect(output.records.first?["response_frame"] as? Int == 4)
        #expect(output.summary.weirds.entries.isEmpty, "\(output.summary.weirds.entries.map(\.name))")
    }

    @Test("a name longer than 255 bytes keeps its qtype and its first 255 bytes, with a weird")
    func longName() throws {
        let label = String(repeating: "a", count: 63)
        let long = [label, label, label, label, label].joined(separator: ".")
        var capture = B(linkType: 1)
        capture.add(B.ethernet(B.udp4("10.0.0.2", "10.0.0.53", 40001, 53, B.query(id: 7, long, type: 28))), time: 100)
        capture.add(B.ethernet(B.udp4("10.0.0.53", "10.0.0.2", 53, 40001, B.response(id: 7, long, type: 28, rcode: 3))), time: 100.01)
        let output = try DNSTestRun.run(try Self.write("long-name.pcap", capture))
        #expect(output.records.count == 1)
        let record = try #require(output.records.first)
        #expect(record["qtype_name"] as? String == "AAAA")
        #expect(record["rcode_name"] as? String == "NXDOMAIN")
        #expect(record["response_frame"] as? Int == 2)
        // Four whole labels fit in 255 bytes of text; the fifth is past it.
        #expect(record["query"] as? String == [label, label, label, label].joined(separator: "."))
        #expect(output.summary.weirds.count("DNS_NAME_too_long") >= 1)
    }

    @Test("retransmission, time-out, late answer and duplicate answer")
    func pairing() throws {
        var capture = B(linkType: 1)
        let c = "10.0.0.2", s = "10.0.0.53"
        // id 1: sent twice a second apart, answered 0.5 s after the copy: one transaction, rtt from the first.
        capture.add(B.ethernet(B.udp4(c, s, 40001, 53, B.query(id: 1, "one.example"))), time: 100)
        capture.add(B.ethernet(B.udp4(c, s, 40001, 53, B.query(id: 1, "one.example"))), time: 101)
        capture.add(B.ethernet(B.udp4(s, c, 53, 40001, B.response(id: 1, "one.example", addresses: ["192.0.2.1"]))), time: 101.5)
        // The same answer again: a duplicate.
        capture.add(B.ethernet(B.udp4(s, c, 53, 40001, B.response(id: 1, "one.example", addresses: ["192.0.2.1"]))), time: 101.6)
        // id 2: answered 6 s later, after the 5 s time-out: one record, answered, marked late.
        capture.add(B.ethernet(B.udp4(c, s, 40002, 53, B.query(id: 2, "two.example"))), time: 102)
        capture.add(B.ethernet(B.udp4(s, c, 53, 40002, B.response(id: 2, "two.example", rcode: 2))), time: 108)
        // An answer whose query was not captured.
        capture.add(B.ethernet(B.udp4(s, c, 53, 40003, B.response(id: 3, "three.example", addresses: ["192.0.2.3"]))), time: 109)
        let output = try DNSTestRun.run(try Self.write("pairing.pcap", capture))
        let rows = output.records
        #expect(rows.count == 4)
        let first = try #require(rows.first)
        #expect(first["retransmissions"] as? Int == 1)
        #expect(output.ndjson.contains("\"rtt\":1.500000,"))
        #expect(rows[1]["duplicate"] as? Bool == true)
        #expect(rows[2]["query"] as? String == "two.example")
        #expect(rows[2]["unanswered"] == nil)
        #expect(rows[2]["late"] as? Bool == true)
        #expect(rows[2]["rcode_name"] as? String == "SERVFAIL")
        #expect(Self.text(rows[2]["rtt"]) == "6.0")
        #expect(rows[3]["frame"] == nil)
        #expect(rows[3]["query"] as? String == "three.example")
        // With a 10 s time-out the answer to id 2 simply pairs.
        let patient = try DNSTestRun.run(try Self.write("pairing.pcap", capture), options: .init(timeoutSeconds: 10))
        #expect(patient.records.count == 4)
        #expect(patient.records.allSatisfy { $0["unanswered"] == nil && $0["late"] == nil })
    }

    static func text(_ value: Any?) -> String { (value as? Double).map { String($0) } ?? "-" }

    @Test("faultline dns in text and ndjson, from the command's library side")
    func dnsLog() throws {
        let path = TestSupport.samples.appendingPathComponent("go/dns-noroute/dns.pcap").path
        let collected = Collected()
        let outcomes = DNSLog.write(paths: [path], format: "text") { collected.append($0) }
        let text = collected.bytes
        #expect(outcomes.first?.transactions == 4)
        #expect(outcomes.first?.frames == 8)
        #expect(outcomes.first?.failed == false)
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "1795664716.427701  frame 1  10.99.0.2:39719 > 10.99.2.53:53 udp AAAA? proxy.golang.org → no reply (ICMP administratively prohibited, frame 3)")
        let missing = DNSLog.write(paths: ["/nonexistent.pcap"], format: "ndjson") { _ in }
        #expect(missing.first?.failed == true)
        #expect(missing.first?.diagnostics.first?.code == "input.missing")
        #expect(missing.first?.diagnostics.first?.input == "/nonexistent.pcap")
    }
}

/// Output bytes gathered from the printing thread; read after `DNSLog.write` returns (it joins that thread).
final class Collected: @unchecked Sendable {
    private(set) var bytes: [UInt8] = []
    func append(_ chunk: UnsafeRawBufferPointer) { bytes.append(contentsOf: chunk) }
}

@Suite("faultline dns output")
struct DNSLogOutputTests {
    /// `faultline dns` reads on one thread and prints on another (records decoded by the printer);
    /// its lines must be the ones the single-threaded reader makes, on every trace and sample.
    @Test("the two-thread printer writes exactly the records of the one-thread reader")
    func pipelineMatchesReader() throws {
        var paths = ZeekTrace.all.map { DNSTestRun.conformance.appendingPathComponent($0.trace).path }
        paths += DNSSampleCase.all.map { DNSSampleCaptureTests.capture($0.folder) }
        for path in paths {
            let direct = try DNSTestRun.run(path)
            let collected = Collected()
            let outcomes = DNSLog.write(paths: [path], format: "ndjson") { collected.append($0) }
            let piped = String(decoding: collected.bytes, as: UTF8.self)
            #expect(piped.split(separator: "\n").sorted() == direct.ndjson.split(separator: "\n").sorted(), "\(path)")
            let names = Set(direct.summary.weirds.entries.map(\.name))
            let reported = Set((outcomes.first?.diagnostics ?? []).map { String($0.code.dropFirst("capture.".count)) })
            #expect(reported == names, "\(path): weirds \(reported.sorted()) vs \(names.sorted())")
        }
    }

    @Test("text lines (written as bytes) say what the transaction summaries of analyze's events say")
    func textMatchesEventSummaries() throws {
        var paths = ZeekTrace.all.map { DNSTestRun.conformance.appendingPathComponent($0.trace).path }
        paths += DNSSampleCase.all.map { DNSSampleCaptureTests.capture($0.folder) }
        var compared = 0
        for path in paths {
            let collected = Collected()
            _ = DNSLog.write(paths: [path], format: "text") { collected.append($0) }
            // `ts  frame N  client > server udp SUMMARY`: the summary follows the transport.
            let lines = String(decoding: collected.bytes, as: UTF8.self).split(separator: "\n")
            let summaries = lines.compactMap { line in
                line.range(of: " udp ").map { String(line[$0.upperBound...]) } ?? line.range(of: " tcp ").map { String(line[$0.upperBound...]) }
            }
            #expect(summaries.count == lines.count, "\(path)")
            let source = try PcapFile(path: path)
            let reader = DNSCaptureReader(source: source)
            var builder = DNSEventBuilder(inputIndex: 0, layers: [:], names: reader.nameReader)
            builder.routineEvents = .max
            builder.unusualEvents = .max
            var texts: [String] = []
            _ = reader.run(transaction: { t, m in
                if let event = builder.event(for: t, message: m) { texts.append(event.text) }
            })
            let printed = summaries.filter { !$0.hasSuffix("(multicast, not paired)") }
            #expect(printed.sorted() == texts.sorted(), "\(path)")
            compared += texts.count
        }
        #expect(compared > 100)
    }
}

@Suite("DNS decoding of damaged packets")
struct DNSDamageTests {
    /// xorshift64*: a fixed sequence, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % max(1, bound)
        }
    }

    @Test("5,000 damaged copies of real packets: every frame read, nothing traps, damage reported")
    func damaged() throws {
        let source = try PcapFile(path: DNSSampleCaptureTests.capture("dns-search-expansion"))
        var frames: [[UInt8]] = []
        while let frame = try source.next() { frames.append(frame.bytes) }
        var random = Random(state: 0x5EED_0F_F417_7715)
        var capture = PcapBuilder(linkType: 1)
        for i in 0..<5000 {
            var frame = frames[random.next(frames.count)]
            switch random.next(3) {
            case 0:
                for _ in 0...random.next(8) { frame[42 + random.next(frame.count - 42)] = UInt8(random.next(256)) }
            case 1:
                frame = Array(frame.prefix(14 + random.next(frame.count - 14)))
            default:
                frame[random.next(frame.count)] = UInt8(random.next(256))
            }
            capture.add(frame, time: 1000 + Double(i) / 1000)
        }
        let path = try TestSupport.scratchFile("damaged.pcap", capture.bytes)
        let output = try DNSTestRun.run(path)
        #expect(output.summary.frames == 5000)
        #expect(output.summary.readError == nil)
        #expect(output.summary.weirds.count("DNS_label_len_gt_pkt") > 0)
        #expect(!output.records.isEmpty)
        let (_, findings, _) = try DNSTestRun.events(path)
        #expect(findings.allSatisfy { $0.cause != nil && $0.location.frame != nil })
    }
}
