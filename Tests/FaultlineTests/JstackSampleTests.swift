import Foundation
import Testing
import Faultline
import FaultlineDecode

/// What `Samples/jvm/<case>/expected.json` says the analysis must find.
struct JVMSampleExpectation: Decodable, CustomTestStringConvertible, Sendable {
    struct EvidenceLine: Decodable, Sendable {
        var input: String
        var line: Int
        var contains: String
    }

    /// The finding the dumps themselves must show, when the top cause comes from elsewhere.
    struct Finding: Decodable, Sendable {
        var cause: String
        var threads: String?
        var host: String?
    }

    /// A second input of the case that must show the same cause on its own.
    struct Also: Decodable, Sendable {
        var input: String
        var line: Int
        var cause: String
    }

    var verdict: String
    var cause: String
    var inputs: [String]
    var subjects: [String: String]
    var evidence: EvidenceLine?
    var explains: [String]?
    var dumps: Int
    var finding: Finding?
    var also: Also?
    var jvm_reports_deadlock: Bool?
    var folder: String?

    var testDescription: String { folder ?? "?" }

    static let all: [JVMSampleExpectation] = {
        let base = JstackSupport.samples
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        return names.sorted().compactMap { name in
            let file = base.appendingPathComponent(name).appendingPathComponent("expected.json")
            guard let data = FileManager.default.contents(atPath: file.path),
                  var expectation = try? JSONDecoder().decode(JVMSampleExpectation.self, from: data) else { return nil }
            expectation.folder = name
            return expectation
        }
    }()

    func path(_ input: String) -> String {
        JstackSupport.samples.appendingPathComponent(folder ?? "").appendingPathComponent(input).path
    }
}

@Suite("Real JVM thread-dump samples")
struct JstackSampleTests {
    @Test("a sample for every case the issue names, and a healthy service")
    func coverage() {
        let causes = Set(JVMSampleExpectation.all.map(\.cause))
        #expect(causes.isSuperset(of: ["jvm_deadlock", "jvm_lock_contention", "jvm_pool_starvation", "dns_server_unreachable",
                                       "jvm_carrier_starvation", "none"]))
        #expect(JVMSampleExpectation.all.filter { $0.cause == "jvm_deadlock" }.count == 3)
        #expect(JVMSampleExpectation.all.filter { $0.folder?.hasPrefix("vthread-") == true }.map(\.cause).sorted()
                == ["jvm_carrier_starvation", "jvm_deadlock", "none"])
        #expect(JVMSampleExpectation.all.contains { $0.dumps == 3 && $0.finding?.cause == "jvm_blocked_on_dns" })
        #expect(JVMSampleExpectation.all.contains { $0.cause == "jvm_pool_starvation" && $0.dumps == 2 })
    }

    @Test("analyze names the expected top cause, subjects and evidence line", arguments: JVMSampleExpectation.all)
    func sample(_ expected: JVMSampleExpectation) throws {
        let paths = expected.inputs.map(expected.path)
        let report = TestSupport.analyze(paths)
        #expect(report.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(report.diagnostics)")
        #expect(report.inputs.allSatisfy { $0.format == "jstack" || $0.format == "jstack-json" })
        guard expected.verdict == "failure" else {
            // A healthy dump: nothing found. (The Analyzer calls a case without a build log
            // `unknown` rather than `success`; either way, never a failure.)
            #expect(report.hypotheses.isEmpty, "a healthy service must get no hypotheses: \(report.hypotheses.map(\.cause))")
            #expect(report.verdict != .failure)
            return
        }
        #expect(report.verdict == .failure)
        let top = try #require(report.hypotheses.first, "no hypothesis")
        #expect(top.cause == expected.cause)
        for (key, value) in expected.subjects {
            #expect(top.subjects[key] == value, "subject \(key)")
        }
        for cause in expected.explains ?? [] {
            #expect(top.explains.contains(cause), "\(cause) is explained by \(top.cause): \(top.explains)")
        }
        let evidence = try #require(expected.evidence)
        let first = try #require(top.evidence.first)
        #expect(first.input == expected.path(evidence.input))
        #expect(first.line == evidence.line)
        // The evidence points at the input line that shows it: the log line, or the thread's header in the dump.
        let lines = String(decoding: JstackSupport.bytes(URL(fileURLWithPath: expected.path(evidence.input))), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        let shown = lines.indices.contains(evidence.line - 1) ? String(lines[evidence.line - 1]) : ""
        #expect(shown.contains(evidence.contains), "line \(evidence.line): \(shown)")
        #expect(top.confidence > 0.5 && top.confidence < 1)
        #expect(!top.remediation.isEmpty)
        #expect(!top.verify.isEmpty)
    }

    @Test("the dumps alone: number of dumps, the finding, and the JVM's own deadlock section", arguments: JVMSampleExpectation.all)
    func dumps(_ expected: JVMSampleExpectation) throws {
        let inspection = ThreadDumpInspector().inspect(paths: expected.inputs.map(expected.path))
        #expect(inspection.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(inspection.diagnostics)")
        #expect(inspection.dumps.count == expected.dumps)
        #expect(inspection.dumps.allSatisfy { $0.time != nil }, "every sample dump has a time")
        let causes = Set(inspection.dumps.flatMap(\.findings).map(\.cause))
        if expected.verdict == "success" {
            #expect(causes.isEmpty, "\(inspection.dumps.flatMap(\.findings).map(\.summary))")
            return
        }
        let jvmCause = expected.finding?.cause ?? expected.cause
        #expect(causes == [jvmCause], "\(inspection.dumps.flatMap(\.findings).map(\.summary))")
        // Every dump of the series shows it.
        #expect(inspection.dumps.allSatisfy { $0.findings.contains { $0.cause == jvmCause } })
        if let finding = expected.finding {
            let found = try #require(inspection.dumps.last?.findings.first { $0.cause == finding.cause })
            let subjects = Dictionary(found.subjects.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            if let threads = finding.threads { #expect(subjects["threads"] == threads) }
            if let host = finding.host { #expect(subjects["host"] == host) }
        }
        if let reported = expected.jvm_reports_deadlock {
            let cycles = inspection.dumps.flatMap(\.cycles)
            #expect(cycles.count == 1)
            #expect(cycles.allSatisfy { $0.foundInGraph && $0.reportedByJVM == reported })
        }
        if expected.dumps > 1 {
            #expect(inspection.series.dumps == expected.dumps)
            #expect(inspection.series.unmovedThroughout.count > 0, "the stuck threads did not move across the series")
            let span = try #require(inspection.series.span)
            #expect(span >= Double(5 * (expected.dumps - 1)) - 1 && span <= Double(5 * (expected.dumps - 1)) + 2)
        }
        if let also = expected.also {
            let other = ThreadDumpInspector().inspect(paths: [expected.path(also.input)])
            let finding = try #require(other.dumps.first?.findings.first)
            #expect(finding.cause == also.cause)
            #expect(finding.line == also.line)
        }
    }

    @Test("dns-hang with its capture: the resolver the capture shows is the root cause, the stuck threads its effect")
    func dnsHangWithCapture() throws {
        let folder = JstackSupport.samples.appendingPathComponent("dns-hang")
        let report = TestSupport.analyze([folder.appendingPathComponent("service.log").path, folder.appendingPathComponent("dns.pcap").path])
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "dns_server_unreachable")
        #expect(top.subjects["host"] == "inventory.fl-jvm.internal")
        #expect(top.subjects["nameserver"] == "10.97.0.53:53")
        #expect(top.explains.contains("jvm_blocked_on_dns"))
        #expect(top.evidence.contains { $0.frame != nil }, "the capture's unanswered queries are evidence")
        #expect(top.evidence.contains { $0.line != nil && $0.text.contains("stuck resolving inventory.fl-jvm.internal") })
    }

    @Test("Thread.dump_to_file JSON and text forms of one JVM: the same threads, states and virtual threads")
    func dumpToFileForms() throws {
        let folder = JstackSupport.samples.appendingPathComponent("carrier-starvation")
        let json = try #require(JstackSupport.read(JstackSupport.bytes(folder.appendingPathComponent("threads.json")), form: .json).dumps.first).dump
        let text = try #require(JstackSupport.read(JstackSupport.bytes(folder.appendingPathComponent("threads.txt"))).dumps.first).dump
        #expect(json.form == .json && text.form == .threadDumpText)
        func shape(_ dump: ThreadDump) -> [String: String] {
            Dictionary(dump.threads.map { ($0.name, "\($0.javaID ?? -1) \($0.state?.rawValue ?? "-") \($0.isVirtual)") }, uniquingKeysWith: { a, _ in a })
        }
        #expect(shape(json) == shape(text))
        #expect(json.threads.filter(\.isVirtual).count == 12)
        #expect(json.jvm == "25.0.3+9-LTS" && text.jvm == "25.0.3+9-LTS")
        #expect(json.time.source == .instant && text.time.source == .instant)
        // The jstack form of the same JVM shows only the two mounted virtual threads, on their carriers.
        let jstack = try #require(JstackSupport.read(JstackSupport.bytes(folder.appendingPathComponent("jstack.txt"))).dumps.first).dump
        #expect(jstack.threads.filter { $0.carriedVirtualThread != nil }.count == 2)
    }

    @Test("faultline jstack JSON: the series document for the starved pool")
    func jstackJSON() throws {
        let expected = try #require(JVMSampleExpectation.all.first { $0.folder == "starved-pool" })
        let inspection = ThreadDumpInspector().inspect(paths: expected.inputs.map(expected.path))
        let json = ThreadDumpJSONRenderer().render(inspection)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "faultline.jstack/1")
        #expect(object["time_zone"] as? String == "UTC")
        let dumps = try #require(object["dumps"] as? [[String: Any]])
        #expect(dumps.count == 2)
        let second = try #require(dumps.last)
        let findings = try #require(second["findings"] as? [[String: Any]])
        #expect(findings.map { $0["cause"] as? String } == ["jvm_pool_starvation"])
        let groups = try #require(second["groups"] as? [[String: Any]])
        #expect(groups.first?["count"] as? Int == 4)
        let series = try #require(object["series"] as? [String: Any])
        #expect(series["dumps"] as? Int == 2)
        #expect((series["unmoved_throughout"] as? [String])?.filter { $0.hasPrefix("report-worker-") }.count == 4)
        // Text form: per dump and per series, with the zone used.
        let text = ThreadDumpTextRenderer().render(inspection)
        #expect(text.contains("local timestamp lines read as UTC"))
        #expect(text.contains("== series: 2 dumps over 5 s"))
    }
}
