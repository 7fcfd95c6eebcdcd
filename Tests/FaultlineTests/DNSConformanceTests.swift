import Foundation
import Testing
import Faultline
import FaultlineCapture

/// One row of the conformance index (`Conformance/zeek-dns/INDEX.tsv`).
struct ZeekTrace: CustomTestStringConvertible, Sendable {
    var trace: String
    var baseline: String?
    var command: String

    var testDescription: String { trace }
    /// Zeek verifies checksums unless run with `-C`; the baseline was made that way.
    var zeekVerifiesChecksums: Bool { !command.split(separator: " ").contains("-C") }

    static let all: [ZeekTrace] = {
        let url = DNSTestRun.conformance.appendingPathComponent("INDEX.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 7 else { return nil }
            return ZeekTrace(trace: fields[0], baseline: fields[1] == "-" ? nil : fields[1], command: fields[6])
        }
    }()

    static var withBaseline: [ZeekTrace] { all.filter { $0.baseline != nil } }
}

/// Agreement with Zeek, field for field, on Zeek's own DNS test traces; the
/// expected weirds on the traces without a `dns.log`; every link type.
@Suite("DNS conformance with Zeek")
struct DNSConformanceTests {
    /// The `dns.log` columns compared (`ts` is masked in the baselines, `uid`s depend on Zeek's seed).
    static let columns = ["id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id", "rtt", "query",
                          "qclass", "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name", "AA", "TC", "RD", "RA",
                          "Z", "answers", "TTLs", "rejected", "opcode", "opcode_name", "original_query"]

    /// Differences from Zeek that are deliberate, per trace: (column, Zeek's value, ours).
    /// - ipv6-fragmented-dns: the query was sent again 5.000836 s after the first copy; with the
    ///   resolver's own 5 s timeout the first copy is unanswered and the answer pairs with the
    ///   copy (98.676270 − 98.593081 = 0.083189 s), as tshark pairs it; Zeek pairs it with the
    ///   first copy (5.084025 s). INDEX.tsv names this difference.
    static let expected: [String: [(column: String, zeek: String, ours: String)]] = [
        "traces/ipv6-fragmented-dns.pcap": [("rtt", "5.084025", "0.083189")],
    ]

    static func zeekRows(_ baseline: String) throws -> (columns: [String], rows: [[String: String]]) {
        let text = try String(contentsOf: DNSTestRun.conformance.appendingPathComponent(baseline), encoding: .utf8)
        var fields: [String] = []
        var rows: [[String: String]] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#fields") {
                fields = line.split(separator: "\t").dropFirst().map(String.init)
            } else if !line.hasPrefix("#") {
                let values = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                rows.append(Dictionary(uniqueKeysWithValues: zip(fields, values)))
            }
        }
        return (fields, rows)
    }

    /// Our record in Zeek's ASCII conventions: `-` unset, `T`/`F`, intervals with six decimals, `,` between elements.
    static func zeekText(_ column: String, _ value: Any?) -> String {
        guard let value else { return "-" }
        switch column {
        case "AA", "TC", "RD", "RA", "rejected":
            return (value as? Bool) == true ? "T" : "F"
        case "rtt", "TTLs":
            let numbers = (value as? [Any]) ?? [value]
            if numbers.isEmpty { return "(empty)" }
            return numbers.map { String(format: "%.6f", ($0 as? Double) ?? Double(($0 as? Int) ?? -1)) }.joined(separator: ",")
        default:
            if let list = value as? [Any] { return list.isEmpty ? "(empty)" : list.map { "\($0)" }.joined(separator: ",") }
            return "\(value)"
        }
    }

    /// Rows as comparable strings. Where the response carried no answer record Zeek never logs
    /// an rtt (it sets it on the first answer) while we do for every paired response, so rtt is
    /// compared only where there are answers; Zeek names an unknown type `query-N`, we `TYPEN`.
    static func canonical(_ row: [String: String], columns: [String]) -> String {
        var row = row
        if (row["answers"] ?? "-") == "-" { row["rtt"] = "*" }
        if let name = row["qtype_name"], name.hasPrefix("query-") { row["qtype_name"] = "TYPE" + name.dropFirst(6) }
        return columns.map { "\($0)=\(row[$0] ?? "-")" }.joined(separator: " | ")
    }

    @Test("every baseline dns.log is reproduced field for field", arguments: ZeekTrace.withBaseline)
    func baseline(_ trace: ZeekTrace) throws {
        let path = DNSTestRun.conformance.appendingPathComponent(trace.trace).path
        let output = try DNSTestRun.run(path, options: .init(dropBadChecksums: trace.zeekVerifiesChecksums))
        let (fields, zeek) = try Self.zeekRows(try #require(trace.baseline))
        let columns = Self.columns.filter(fields.contains)
        // NetBIOS name service (UDP 137) is not DNS on 53/5353/5355 and is not decoded.
        let expectedRows = zeek.filter { $0["id.resp_p"] != "137" }
        var ours: [[String: String]] = []
        for record in output.records {
            var row: [String: String] = [:]
            for column in columns { row[column] = Self.zeekText(column, record[column]) }
            for (column, zeekValue, ourValue) in Self.expected[trace.trace] ?? [] where row[column] == ourValue {
                row[column] = zeekValue
            }
            ours.append(row)
            // Zeek logs each copy of a retransmitted query as an unanswered row of its own; we count them.
            for _ in 0..<((record["retransmissions"] as? Int) ?? 0) {
                var copy = row
                for column in ["rtt", "rcode", "rcode_name", "answers", "TTLs"] { copy[column] = "-" }
                copy["AA"] = "F"
                copy["RA"] = "F"
                ours.append(copy)
            }
        }
        let want = expectedRows.map { Self.canonical($0, columns: columns) }.sorted()
        let got = ours.map { Self.canonical($0, columns: columns) }.sorted()
        #expect(got.count == want.count, "\(trace.trace): \(got.count) rows, Zeek has \(want.count)")
        for row in want where !got.contains(row) { Issue.record("\(trace.trace): Zeek row missing: \(row)") }
        for row in got where !want.contains(row) { Issue.record("\(trace.trace): row Zeek does not have: \(row)") }
        // rtt where Zeek has none: only on responses that carried no answer, and then it is exact.
        for record in output.records where record["rtt"] != nil {
            #expect(record["frame"] != nil && record["response_frame"] != nil, "rtt only for a paired response")
        }
    }

    @Test("the traces without a dns.log: expected weirds and decodes")
    func weirdTraces() throws {
        let base = DNSTestRun.conformance.appendingPathComponent("traces")
        // Malformed EDNS Client Subnet options: Zeek's weird.log names six weirds.
        let ecs = try DNSTestRun.run(base.appendingPathComponent("dns-edns-ecs-weirds.pcap").path)
        let ecsWeirds = Set(ecs.summary.weirds.entries.map(\.name))
        let zeekWeirds: Set = ["EDNS_ECS_invalid_addr_v4", "EDNS_ECS_invalid_addr_v4_prefix", "EDNS_ECS_invalid_addr_v6",
                               "EDNS_ECS_invalid_addr_v6_prefix", "EDNS_ECS_invalid_option_len", "EDNS_truncated_option"]
        #expect(ecsWeirds.isSuperset(of: zeekWeirds), "\(ecsWeirds.sorted())")
        let details = Dictionary(ecs.summary.weirds.entries.map { ($0.name, $0.detail ?? "-") }, uniquingKeysWith: { a, _ in a })
        #expect(details["EDNS_ECS_invalid_addr_v4"] == "need 32 bits, have 24 bits")
        #expect(details["EDNS_ECS_invalid_addr_v4_prefix"] == "255 bits")
        #expect(details["EDNS_ECS_invalid_addr_v6"] == "need 66 bits, have 56 bits")
        #expect(details["EDNS_ECS_invalid_addr_v6_prefix"] == "255 bits")
        #expect(ecs.records.count == 5, "the five queries are still listed")

        // A compression chain deeper than Zeek's test limit of 5: weird with the depth reached, 6.
        let deep = try DNSTestRun.run(base.appendingPathComponent("dns/max-compression-depth.pcap").path,
                                      options: .init(maxCompressionDepth: 5))
        let depth = try #require(deep.summary.weirds.entries.first { $0.name == "DNS_max_compression_chain_depth_exceeded" })
        #expect(depth.detail == "6")
        #expect(depth.frames == [1])
        // With the default limit of 20 the same chain decodes.
        let shallow = try DNSTestRun.run(base.appendingPathComponent("dns/max-compression-depth.pcap").path)
        #expect(shallow.summary.weirds.count("DNS_max_compression_chain_depth_exceeded") == 0)
        #expect(shallow.records.first?["query"] as? String == "a")

        // Scrambled UDP checksums: noted and decoded (tshark shows both), or dropped as Zeek does.
        let corrupt = try DNSTestRun.run(base.appendingPathComponent("dns/dns-corrupt.pcap").path)
        let bad = try #require(corrupt.summary.weirds.entries.first { $0.name == "bad_UDP_checksum" })
        #expect(bad.count == 2)
        #expect(bad.frames == [1, 2])
        #expect(corrupt.records.count == 1)
        #expect(corrupt.records.first?["query"] as? String == "zeek.org")
        #expect(Self.zeekText("rtt", corrupt.records.first?["rtt"]) == "0.033945")
        let dropped = try DNSTestRun.run(base.appendingPathComponent("dns/dns-corrupt.pcap").path, options: .init(dropBadChecksums: true))
        #expect(dropped.records.isEmpty, "Zeek without -C logs no dns.log for it")
    }

    @Test("link types RAW, NULL and IPV4: HTTPS, SVCB and an EDNS extended rcode")
    func linkTypes() throws {
        let base = DNSTestRun.conformance.appendingPathComponent("traces")
        // LINKTYPE_RAW IPv6, HTTPS records (tshark: ids 0xf74b, 0x17d0; rtt 0.021938, 0.077175).
        let ech = try DNSTestRun.run(base.appendingPathComponent("dns/ech.pcap").path)
        #expect(ech.summary.linkType.description == "RAW")
        #expect(ech.records.map { $0["query"] as? String } == ["defo.ie", "cloudflare-ech.com"])
        #expect(ech.records.map { $0["trans_id"] as? Int } == [0xF74B, 0x17D0])
        #expect(ech.records.map { Self.zeekText("rtt", $0["rtt"]) } == ["0.021938", "0.077175"])
        #expect(ech.records.map { $0["qtype_name"] as? String } == ["HTTPS", "HTTPS"])
        #expect(ech.records.map { Self.zeekText("answers", $0["answers"]) } == ["HTTPS 1 .", "HTTPS 1 ."])
        // LINKTYPE_NULL on 127.0.0.1, an SVCB record (Zeek's output: priority 0, target foo.example.com).
        let svcb = try DNSTestRun.run(base.appendingPathComponent("dns-svcb.pcap").path)
        #expect(svcb.summary.linkType == .null)
        #expect(svcb.records.count == 1)
        #expect(Self.zeekText("answers", svcb.records.first?["answers"]) == "SVCB 0 foo.example.com")
        #expect(Self.zeekText("rtt", svcb.records.first?["rtt"]) == "0.000339")
        // LINKTYPE_IPV4; header rcode 0 + OPT extended rcode 1 = 16 (Zeek's test prints 16).
        let rcode = try DNSTestRun.run(base.appendingPathComponent("dns/dns_extended_rcode.pcap").path)
        #expect(rcode.summary.linkType == .ipv4)
        #expect(rcode.records.first?["rcode"] as? Int == 16)
        #expect(rcode.records.first?["rcode_name"] as? String == "BADVERS")
        // The header's own 4 bits, Zeek's dns.log rcode (CONVENTIONS.md).
        #expect(rcode.records.first?["header_rcode"] as? Int == 0)
    }

    @Test("pcapng with two interfaces: the three transactions of Zeek's conn.log, rtt = its duration")
    func pcapng() throws {
        let path = DNSTestRun.conformance.appendingPathComponent("traces/pcapng-multi-interface.pcapng").path
        let output = try DNSTestRun.run(path)
        // conn.log: orig_h, orig_p, duration (query to response, two packets).
        let conn = [("172.17.0.2", 36343, "0.013961"), ("10.0.0.4", 56351, "0.014563"), ("10.0.0.4", 56352, "0.012639")]
        #expect(output.records.count == 3)
        for (record, expected) in zip(output.records, conn) {
            #expect(record["id.orig_h"] as? String == expected.0)
            #expect(record["id.orig_p"] as? Int == expected.1)
            #expect(record["id.resp_h"] as? String == "1.1.1.1")
            let rtt = try #require(record["rtt"] as? Double)
            #expect(String(format: "%.6f", (rtt * 1e6).rounded(.down) / 1e6) == expected.2)
        }
        // The Linux interface has nanosecond timestamps: the output keeps nine digits.
        #expect(output.summary.timestampDigits == 9)
        #expect(output.ndjson.contains("\"rtt\":0.013961447"))
    }

    @Test("a response whose query was not seen: RD as Zeek logs it (from a query only), its own RD in response_rd")
    func loneResponseRD() throws {
        let base = DNSTestRun.conformance.appendingPathComponent("traces")
        // An authoritative server's view: answers whose queries the capture does not hold, RD set in them.
        let ecs = try DNSTestRun.run(base.appendingPathComponent("dns-edns-ecs.pcap").path)
        let lone = ecs.records.filter { $0["frame"] == nil && $0["response_frame"] != nil }
        #expect(!lone.isEmpty)
        #expect(lone.allSatisfy { $0["RD"] as? Bool == false }, "Zeek sets RD in dns_request only")
        // tshark: of these answers, frames 16 (atlas.ripe.net) and 44 (www.netflix.com) set RD; frame 9 does not.
        let withRD = lone.filter { $0["response_rd"] as? Bool == true }.compactMap { $0["response_frame"] as? Int }
        #expect(withRD.starts(with: [16, 44]))
        #expect(lone.first { $0["response_frame"] as? Int == 9 }?["response_rd"] as? Bool == false)
        #expect(ecs.records.filter { $0["frame"] != nil }.allSatisfy { $0["response_rd"] == nil }, "only for records without a query")
        // Zeek's flip baseline: a lone answer without RD, logged RD F.
        let flip = try DNSTestRun.run(base.appendingPathComponent("dns53.pcap").path)
        #expect(flip.records.count == 1)
        #expect(flip.records.first?["RD"] as? Bool == false)
        #expect(flip.records.first?["response_rd"] as? Bool == false)
    }

    @Test("DNS over TCP: length-prefixed messages, and TC=1 answers linked to their TCP retries")
    func tcp() throws {
        let base = DNSTestRun.conformance.appendingPathComponent("traces")
        // Two TCP connections to 208.80.154.238:53 (tshark: 0x8076 wikipedia.org answered in 0.022310 s, …).
        let keepalive = try DNSTestRun.run(base.appendingPathComponent("dns-edns-tcp-keepalive.pcap").path)
        #expect(keepalive.records.allSatisfy { $0["proto"] as? String == "tcp" })
        let first = try #require(keepalive.records.first { $0["trans_id"] as? Int == 0x8076 })
        #expect(first["query"] as? String == "wikipedia.org")
        #expect(Self.zeekText("rtt", first["rtt"]) == "0.022310")
        #expect(keepalive.records.count == 2)
        #expect(keepalive.records.allSatisfy { $0["unanswered"] == nil })

        // An authoritative server's view: TC=1 UDP answers, then the same question over TCP
        // (tshark: frames 10→11, 12→13, 14→15, 17→18, 22→25, 20→26, 21→27), and IPv4-fragmented
        // UDP answers reassembled (DNSKEY weberlab.de ends in frames 54 and 63).
        let ecs = try DNSTestRun.run(base.appendingPathComponent("dns-edns-ecs.pcap").path)
        let links = ecs.records.compactMap { record -> [Int]? in
            guard let udp = record["tc_retry_of_frame"] as? Int, let tcp = record["response_frame"] as? Int else { return nil }
            #expect(record["proto"] as? String == "tcp")
            return [tcp, udp]
        }
        #expect(links == [[11, 10], [13, 12], [15, 14], [18, 17], [25, 22], [26, 20], [27, 21]])
        let fragmented = ecs.records.filter { [54, 63].contains($0["response_frame"] as? Int ?? 0) }
        #expect(fragmented.count == 2)
        #expect(ecs.summary.weirds.count("fragment_reassembly_timeout") == 0)
    }
}
