import Foundation
import Testing
import FaultlineCore

/// The public captures under `Corpus/captures/` (see its README): every one read
/// by `faultline dns` as tshark reads it — queries, responses, pairs and response
/// codes from `tshark-reference.tsv`, except the differences `tshark-differences.tsv`
/// names and explains — and the encapsulations, link types and odd messages they
/// stand for decoded to the exact transaction.
@Suite("Public capture corpus")
struct CaptureCorpusTests {
    static let folder = TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Corpus/captures")

    /// One row of `tshark-reference.tsv`.
    struct Reference: CustomStringConvertible, Sendable {
        var capture: String
        var queries: Int
        var responses: Int
        /// Header RCODE (4 bits) → responses.
        var rcodes: [Int: Int]
        var paired: Int
        var description: String { capture }
    }

    static func table(_ name: String) -> [[String]] {
        let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    static let references: [Reference] = table("tshark-reference.tsv").compactMap { row in
        guard row.count == 6, let queries = Int(row[2]), let responses = Int(row[3]), let paired = Int(row[5]) else { return nil }
        var rcodes: [Int: Int] = [:]
        for pair in row[4].split(separator: ",") where row[4] != "-" {
            let parts = pair.split(separator: ":").compactMap { Int($0) }
            if parts.count == 2 { rcodes[parts[0]] = parts[1] }
        }
        return Reference(capture: row[0], queries: queries, responses: responses, rcodes: rcodes, paired: paired)
    }

    /// (capture, field) → (tshark's count, ours).
    static let differences: [String: (tshark: Int, ours: Int)] = Dictionary(
        table("tshark-differences.tsv").compactMap { row -> (String, (Int, Int))? in
            guard row.count == 5, let tshark = Int(row[2]), let ours = Int(row[3]) else { return nil }
            return ("\(row[0])/\(row[1])", (tshark, ours))
        }, uniquingKeysWith: { a, _ in a })

    static func records(_ capture: String) throws -> [[String: Any]] {
        let outcome = try CLIProcess.run(["dns", "--quiet", folder.appendingPathComponent(capture).path])
        #expect(outcome.status == 0, "\(capture): \(outcome.stderr)")
        return try outcome.stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("at least 50 public captures, each with its address and licence in the README")
    func inventory() throws {
        let readme = try String(contentsOf: Self.folder.appendingPathComponent("README.md"), encoding: .utf8)
        let captures = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.first?.isNumber == true }.sorted()
        #expect(captures.count >= 50)
        #expect(Self.references.map(\.capture) == captures, "tshark-reference.tsv lists every capture")
        for capture in captures { #expect(readme.contains("`\(capture)`"), "README names \(capture)") }
    }

    @Test("queries, responses, pairs and rcodes agree with tshark", arguments: references)
    func agreesWithTshark(_ reference: Reference) throws {
        let records = try Self.records(reference.capture)
        let queries = records.filter { $0["frame"] != nil }.reduce(0) { $0 + 1 + (($1["retransmissions"] as? Int) ?? 0) }
        let responses = records.filter { $0["response_frame"] != nil }
        let paired = records.filter { $0["frame"] != nil && $0["response_frame"] != nil }.count
        var rcodes: [Int: Int] = [:]
        // tshark shows the header's 4-bit RCODE; Faultline's rcode is RFC 6891's 12-bit value.
        for response in responses { rcodes[((response["rcode"] as? Int) ?? -1) & 0xF, default: 0] += 1 }
        func expected(_ field: String, _ tshark: Int) -> Int {
            guard let difference = Self.differences["\(reference.capture)/\(field)"] else { return tshark }
            #expect(difference.tshark == tshark, "\(reference.capture): the difference note is for tshark's \(difference.tshark)")
            return difference.ours
        }
        #expect(queries == expected("queries", reference.queries), "\(reference.capture) queries")
        #expect(responses.count == expected("responses", reference.responses), "\(reference.capture) responses")
        #expect(paired == expected("paired", reference.paired), "\(reference.capture) paired")
        #expect(rcodes == reference.rcodes, "\(reference.capture) rcodes")
    }

    @Test("DNS inside tunnels and wrapped link types: the exact first transaction")
    func encapsulations() throws {
        // (capture, query, qtype, client, server, answered)
        let cases: [(String, String, String, String, String, Bool)] = [
            ("36-tcpdump-nflog.pcap", "example.com", "-", "10.0.0.20", "74.82.42.42", true),
            ("37-tcpdump-LINKTYPE_PKTAP.pcap", "in.m.yahoo.com", "A", "10.32.4.27", "10.32.100.15", false),
            ("61-derived-ppi-dns.pcap", "picslife.ru", "A", "109.194.160.4", "95.211.92.14", false),
            ("62-derived-pppoe-dns.pcap", "picslife.ru", "A", "109.194.160.4", "95.211.92.14", false),
            ("63-derived-erspan2-dns.pcap", "picslife.ru", "A", "109.194.160.4", "95.211.92.14", false),
            ("44-zeek-gre-sample.pcap", "www.gleeble.org", "*", "66.59.111.190", "172.28.2.3", false),
            ("45-zeek-gre-pptp.pcap", "xqt-detect-mode2-97712e88-167a-45b9-93ee-913140e76678", "AAAA", "172.16.44.3", "8.8.8.8", true),
            ("47-zeek-Teredo.pcap", "ipv6.google.com", "AAAA", "192.168.2.16", "192.168.2.1", true),
            ("57-suricata-vxlan-decoder-03.pcap", "224.145.196.18.in-addr.arpa", "PTR", "172.31.0.238", "172.31.0.2", true),
            ("72-ndpi-6in4tunnel-cut.pcap", "star.c10r.facebook.com", "AAAA", "2001:470:1f16:13f::2", "2a03:2880:fffe:b:face:b00c:0:99", true),
        ]
        for (capture, query, qtype, client, server, answered) in cases {
            let first = try #require(try Self.records(capture).first, "\(capture)")
            #expect(first["query"] as? String == query, "\(capture)")
            #expect((first["qtype_name"] as? String ?? "-") == qtype, "\(capture)")
            #expect(first["id.orig_h"] as? String == client, "\(capture)")
            #expect(first["id.resp_h"] as? String == server, "\(capture)")
            #expect((first["response_frame"] != nil) == answered, "\(capture)")
        }
    }

    @Test("frames not read are named and counted: PPPoE discovery and control, ERSPAN's LLC and ARP")
    func skippedFrames() throws {
        let pppoe = try CLIProcess.run(["dns", Self.folder.appendingPathComponent("49-zeek-pppoe.pcap").path])
        #expect(pppoe.stderr.contains("skipped_ethertype_0x8863: 4 packets"), "\(pppoe.stderr)")
        #expect(pppoe.stderr.contains("(PPPoE discovery)"))
        #expect(pppoe.stderr.contains("skipped_PPP_protocol_0xc021: 24 packets"))
        let erspan = try CLIProcess.run(["dns", Self.folder.appendingPathComponent("39-tcpdump-erspan-type-ii-3.pcap").path])
        #expect(erspan.stderr.contains("skipped_802_3_LLC: 98 packets"), "\(erspan.stderr)")
        #expect(erspan.stderr.contains("skipped_ethertype_0x0806: 10 packets"))
        #expect(erspan.stderr.contains("(ARP)"))
    }

    @Test("xz, zstd and lz4 captures read like the plain one")
    func compressed() throws {
        let plain = try Self.records("01-dnscap-dns.pcap")
        #expect(plain.count == 41)
        for capture in ["02-dnscap-dns.pcap.xz", "03-dnscap-dns.pcap.zst", "04-dnscap-dns.pcap.lz4"] {
            let records = try Self.records(capture)
            #expect(records.map { $0["query"] as? String } == plain.map { $0["query"] as? String }, "\(capture)")
            #expect(records.map { $0["rtt"] as? Double } == plain.map { $0["rtt"] as? Double }, "\(capture)")
        }
    }

    @Test("classic pcap seconds are unsigned: 2^31 s is 2038, not 1901")
    func year2038() throws {
        let shifted = try Self.records("64-derived-pcap-2038-dns.pcap")
        let original = try Self.records("05-gopacket-test_dns.pcap")
        let ts = try #require(shifted.first?["ts"] as? Double)
        let base = try #require(original.first?["ts"] as? Double)
        #expect(ts - base == 2_147_483_648)
    }

    @Test("TCP resynchronises after a lost segment: the query after the gap pairs with its answer")
    func tcpGap() throws {
        // Suricata's dns-tcp-ts-gap: the client's second query (id 1) is lost; id 2 follows the gap.
        let records = try Self.records("58-suricata-dns-tcp-ts-gap.pcap")
        let second = try #require(records.first { $0["trans_id"] as? Int == 2 })
        #expect(second["frame"] as? Int == 10)
        #expect(second["response_frame"] as? Int == 11)
        let lost = try #require(records.first { $0["trans_id"] as? Int == 1 })
        #expect(lost["frame"] == nil, "its query was in the gap")
        // dnscap's midmiss: the segment after the gap carries only a length prefix.
        let midmiss = try Self.records("11-dnscap-dnso1tcp-midmiss.pcap")
        #expect(midmiss.contains { $0["trans_id"] as? Int == 0x59C6 && $0["frame"] as? Int == 17 && $0["response_frame"] as? Int == 19 })
    }

    @Test("port-53 multicast that is not mDNS or LLMNR pairs like unicast; a response keeps its own question")
    func pairing() throws {
        let sll2 = try Self.records("19-dnscap-sll2.pcap")
        #expect(sll2.count == 1)
        #expect(sll2.first?["frame"] as? Int == 1)
        #expect(sll2.first?["response_frame"] as? Int == 2)
        #expect(sll2.first?["rcode_name"] as? String == "NXDOMAIN")
        let orphan = try #require(try Self.records("59-suricata-dns-response-2x.pcap").first { $0["frame"] == nil })
        #expect(orphan["query"] as? String == "client-cf.dropbox.com")
        // Zeek's RD comes from a query only; the response's own RD is kept beside it (CONVENTIONS.md).
        #expect(orphan["RD"] as? Bool == false)
        #expect(orphan["response_rd"] as? Bool == true, "the response's own RD")
        // Its own question's type in the text line (the Zeek-named JSON fields keep Zeek's '-' for a response alone).
        let text = try CLIProcess.run(["dns", "--quiet", "--format", "text", Self.folder.appendingPathComponent("59-suricata-dns-response-2x.pcap").path])
        #expect(text.stdout.contains("frame 2  10.16.1.11:53679 > 10.16.1.1:53 udp A? client-cf.dropbox.com → NOERROR 52.85.112.21 (query not seen)"))
        let mdns = try Self.records("40-zeek-mdns.pcap")
        #expect(mdns.allSatisfy { $0["multicast"] as? Bool == true })
    }
}
