import Foundation
import Testing
@testable import Faultline

/// `faultline dns --format zeek` writes what Zeek writes: compared with Zeek's own dns.log
/// baselines, header lines and rows.
@Suite("dns --format zeek against Zeek's baselines")
struct ZeekDNSLogTests {
    /// The traces whose baseline has today's dns.log columns (the others come from Zeek versions
    /// with other columns).
    static var traces: [ZeekTrace] {
        ZeekTrace.withBaseline.filter { trace in
            guard let baseline = trace.baseline,
                  let text = try? String(contentsOf: DNSTestRun.conformance.appendingPathComponent(baseline), encoding: .utf8)
            else { return false }
            return text.contains("#fields\t" + ZeekDNSLog.fields.joined(separator: "\t") + "\n")
        }
    }

    /// The TSV `faultline dns --format zeek` writes for `path`, through the library.
    static func tsv(_ path: String, verifyChecksums: Bool) -> String {
        let collected = Collected()
        _ = DNSLog.write(paths: [path], format: "zeek", dropBadChecksums: verifyChecksums) { collected.append($0) }
        return collected.text
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        func append(_ piece: UnsafeRawBufferPointer) { lock.withLock { bytes.append(contentsOf: piece) } }
        var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
    }

    /// Zeek's masked `#open`/`#close` values, and the `ts` and `uid` columns masked as btest masks them.
    static func masked(_ line: Substring) -> String {
        if line.hasPrefix("#open") || line.hasPrefix("#close") { return String(line.prefix(while: { $0 != "\t" && $0 != " " })) }
        guard !line.hasPrefix("#") else { return String(line) }
        var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        if fields.count > 1 { fields[0] = "ts"; fields[1] = "uid" }
        return fields.joined(separator: "\t")
    }

    @Test("at least ten traces have a baseline of today's columns")
    func enoughTraces() { #expect(Self.traces.count >= 10) }

    @Test("header lines, then every row, as Zeek wrote them", arguments: traces)
    func matchesBaseline(_ trace: ZeekTrace) throws {
        let path = DNSTestRun.conformance.appendingPathComponent(trace.trace).path
        let ours = Self.tsv(path, verifyChecksums: trace.zeekVerifiesChecksums)
        let baseline = try String(contentsOf: DNSTestRun.conformance.appendingPathComponent(try #require(trace.baseline)),
                                  encoding: .utf8)
        let theirs = baseline.split(separator: "\n").filter { !$0.hasPrefix("###") }
        let mine = ours.split(separator: "\n")
        // The header: every line Zeek writes before the rows, in order, with a real #open time.
        let header = theirs.prefix { $0.hasPrefix("#") }
        #expect(mine.prefix(header.count).map(Self.masked) == header.map(Self.masked))
        #expect(mine[header.count - 2].hasPrefix("#fields\t") && mine.last?.hasPrefix("#close\t") == true)
        #expect(mine.first { $0.hasPrefix("#open") }?.wholeMatch(of: /#open\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d/) != nil)
        // The rows, in any order, apart from the differences DNSConformanceTests names.
        let want = theirs.filter { !$0.hasPrefix("#") }.map(Self.masked)
            .filter { !$0.contains("\t137\tudp\t") }            // NetBIOS name service: not DNS, not decoded
        var got = mine.filter { !$0.hasPrefix("#") }.map(Self.masked)
        for (column, zeek, ourValue) in DNSConformanceTests.expected[trace.trace] ?? [] {
            guard let index = ZeekDNSLog.fields.firstIndex(of: column) else { continue }
            got = got.map { row in
                var fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if fields[index] == ourValue { fields[index] = zeek }
                return fields.joined(separator: "\t")
            }
        }
        let retransmitted = Set(want).subtracting(got)
        for row in got where !want.contains(row) { Issue.record("\(trace.trace): a row Zeek does not have:\n\(row)") }
        // Zeek logs each retransmitted copy of a query as an unanswered row of its own; we count them.
        for row in retransmitted {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields[8] == "-" && fields[15] == "-", "\(trace.trace): a Zeek row missing that is not a retransmission:\n\(row)")
        }
        #expect(!got.isEmpty || want.isEmpty)
    }

    /// The TSV row of one NDJSON record.
    static func row(_ json: String) -> String {
        var out: [UInt8] = []
        var copy = json
        var scratch = ZeekDNSLog.Scratch()
        copy.withUTF8 { ZeekDNSLog.row(UnsafeRawBufferPointer($0), into: &out, scratch: &scratch) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test("JSON on bytes: escapes and surrogate pairs unescaped, then escaped Zeek's way; numbers to six decimals")
    func bytesParser() {
        let row = Self.row(#"{"ts":1767225600.123456789,"query":"a\tb\u00e9\ud83d\ude00\"q\\","answers":["x,y","1.2.3.4"],"TTLs":[60,0.5,1e2],"rtt":0.000685,"nested":{"a":[1,{"b":null}]},"RD":false}"#)
        let byName = Dictionary(uniqueKeysWithValues: zip(ZeekDNSLog.fields,
            row.dropLast().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)))
        #expect(byName["ts"] == "1767225600.123457")
        #expect(byName["query"] == #"a\x09b\xc3\xa9\xf0\x9f\x98\x80"q\\"#)
        #expect(byName["answers"] == #"x\x2cy,1.2.3.4"#)
        #expect(byName["TTLs"] == "60.000000,0.500000,100.000000")
        #expect(byName["rtt"] == "0.000685")
        #expect(byName["RD"] == "F")
        #expect(Self.row(#"{"ts":1,"query":"unterminated}"#).isEmpty, "not a JSON object: no row")
        #expect(Self.row("[1,2]").isEmpty)
    }

    @Test("escaping: separators, control bytes, a lone dash and an empty set are not misread")
    func escaping() {
        #expect(ZeekDNSLog.escape("a\tb\u{1}c\\d", inSet: false) == "a\\x09b\\x01c\\\\d")
        #expect(ZeekDNSLog.escape("x,y", inSet: true) == "x\\x2cy")
        #expect(ZeekDNSLog.escape("x,y", inSet: false) == "x,y")
        #expect(ZeekDNSLog.escape("-", inSet: false) == "\\x2d")
        #expect(ZeekDNSLog.escape("é", inSet: false) == "\\xc3\\xa9")
        let row = Self.row(#"{"ts":1.5,"uid":"C1","query":"a.b","answers":[],"TTLs":[],"AA":true,"qtype_name":"TYPE65280","rtt":0.25}"#)
        let fields = row.dropLast().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        #expect(fields.count == ZeekDNSLog.fields.count)
        let byName = Dictionary(uniqueKeysWithValues: zip(ZeekDNSLog.fields, fields))
        #expect(byName["ts"] == "1.500000")
        #expect(byName["rtt"] == "-", "Zeek sets rtt only once an answer record is seen")
        #expect(byName["answers"] == "(empty)" && byName["TTLs"] == "(empty)")
        #expect(byName["AA"] == "T" && byName["TC"] == "-")
        #expect(byName["qtype_name"] == "query-65280")
        #expect(byName["id.orig_h"] == "-")
    }
}
