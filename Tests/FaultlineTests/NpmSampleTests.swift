import Foundation
import Testing
import Faultline

/// One real npm run of `Samples/npm/<case>/`: its terminal log with
/// `expected.json`, and npm's debug log with `expected-debug.json` (the same
/// shape, whose evidence names the debug log's file).
struct NpmSample: CustomTestStringConvertible, Sendable {
    var folder: String
    var input: String
    var expected: SampleExpectation

    var testDescription: String { "\(folder)/\(input) (\(expected.wrapper))" }

    var path: String {
        TestSupport.samples.appendingPathComponent("npm").appendingPathComponent(folder).appendingPathComponent(input).path
    }

    static let base = TestSupport.samples.appendingPathComponent("npm")

    static var folders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []).sorted()
    }

    /// The debug log copied beside `build.log` (npm's own file name, which carries the run's start).
    static func debugLogName(in folder: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(folder).path)) ?? []
        return names.filter { $0.hasSuffix(".log") && $0.contains("-debug-") }.sorted().first
    }

    static func load(_ folder: String, _ file: String) -> SampleExpectation? {
        let url = base.appendingPathComponent(folder).appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(SampleExpectation.self, from: data)
    }

    static let terminal: [NpmSample] = folders.compactMap { folder in
        load(folder, "expected.json").map { NpmSample(folder: folder, input: "build.log", expected: $0) }
    }

    static let debug: [NpmSample] = folders.compactMap { folder in
        guard let expected = load(folder, "expected-debug.json"), let name = debugLogName(in: folder) else { return nil }
        return NpmSample(folder: folder, input: name, expected: expected)
    }

    /// The run's start as npm wrote it in the file name (`2026-11-26T04_17_47_491Z-debug-0.log`),
    /// read here with Foundation's ISO 8601 parser as an independent reference.
    static func startTime(ofDebugLog name: String) -> Double? {
        guard let marker = name.range(of: "Z-debug") else { return nil }
        var stamp = Array(name[..<marker.lowerBound])
        guard stamp.count == 23 else { return nil }
        stamp[13] = ":"
        stamp[16] = ":"
        stamp[19] = "."
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: String(stamp) + "Z")?.timeIntervalSince1970
    }
}

@Suite("Real npm samples")
struct NpmSampleTests {
    @Test("there are real npm samples for every npm failure class, healthy runs, and each wrapper")
    func coverage() {
        let causes = Set(NpmSample.terminal.map(\.expected.cause))
        let required: Set<String> = [
            "none", "dns_nxdomain", "dns_server_unreachable", "connection_refused", "connection_timeout",
            "connection_reset", "server_unresponsive", "tls_untrusted_certificate", "proxy_forbidden",
            "registry_auth_required", "module_not_found", "npm_integrity_mismatch", "cache_readonly",
            "cache_permission_denied", "disk_full", "dependency_conflict",
        ]
        #expect(causes.isSuperset(of: required), "missing: \(required.subtracting(causes).sorted())")
        #expect(Set(NpmSample.terminal.map(\.expected.wrapper)).isSuperset(of: ["bare", "buildkit", "docker-legacy", "github-actions", "gitlab"]))
        // Every npm sample has its debug log and both expectations (yarn 1 writes no debug log).
        #expect(NpmSample.debug.count == NpmSample.terminal.filter { !$0.folder.hasPrefix("yarn-") }.count)
        // yarn 1 (Debian's yarnpkg), really run: the same Node errors under yarn's wording.
        let yarn = Set(NpmSample.terminal.filter { $0.folder.hasPrefix("yarn-") }.map(\.expected.cause))
        #expect(yarn.isSuperset(of: ["none", "dns_nxdomain", "dns_server_unreachable", "connection_refused", "module_not_found",
                                     "proxy_forbidden", "registry_auth_required", "proxy_server_error"]))
        #expect(NpmSample.terminal.count == NpmSample.folders.count)
    }

    @Test("analyze names the expected top cause, subjects and evidence line of the terminal log", arguments: NpmSample.terminal)
    func terminal(_ sample: NpmSample) throws {
        let bare = sample.folder.hasPrefix("yarn-") ? "yarn-log" : "npm-log"
        try check(sample, format: sample.expected.wrapper == "bare" ? bare : nil)
    }

    @Test("analyze names the expected top cause, subjects and evidence line of npm's debug log", arguments: NpmSample.debug)
    func debugLog(_ sample: NpmSample) throws {
        try check(sample, format: "npm-debug-log")
    }

    func check(_ sample: NpmSample, format: String?) throws {
        let expected = sample.expected
        let report = TestSupport.analyze([sample.path])
        let input = try #require(report.inputs.first)
        if let format { #expect(input.format == format) }
        #expect(report.verdict.rawValue == expected.verdict)
        #expect(report.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(report.diagnostics)")
        guard expected.verdict == "failure" else {
            #expect(report.hypotheses.isEmpty, "a healthy run must get no hypotheses: \(report.hypotheses.map(\.cause))")
            return
        }
        let top = try #require(report.hypotheses.first, "no hypothesis for a failing run")
        #expect(top.cause == (expected.log_only_cause ?? expected.cause))
        // One failure, one hypothesis: npm's other lines about it start no competing one.
        #expect(report.hypotheses.count == 1, "hypotheses: \(report.hypotheses.map { "\($0.cause) \($0.subjects.values)" })")
        for (key, value) in expected.subjects {
            #expect(top.subjects[key] == value, "subject \(key)")
        }
        let evidence = try #require(expected.evidence)
        #expect(evidence.input == sample.input)
        let first = try #require(top.evidence.first)
        #expect(first.input == sample.path)
        #expect(first.line == evidence.line)
        if format == "npm-debug-log" {
            // The evidence is the file's line with npm's `N level ` prefix peeled, nothing else.
            let lines = try String(contentsOfFile: sample.path, encoding: .utf8).components(separatedBy: "\n")
            let raw = lines[max(0, min(lines.count - 1, evidence.line - 1))]
            #expect(raw.contains(evidence.contains), "line \(evidence.line): \(raw)")
            #expect(raw.hasSuffix(first.text))
            let prefix = raw.dropLast(first.text.count)
            #expect(prefix.wholeMatch(of: #/[0-9]+ (silly|verbose|http|timing|info|notice|warn|error) /#) != nil, "prefix \(prefix)")
        } else {
            #expect(first.text.contains(evidence.contains), "evidence text: \(first.text)")
        }
        #expect(top.confidence > 0.5 && top.confidence < 1)
        #expect(!top.remediation.isEmpty)
        #expect(!top.verify.isEmpty)
        #expect(!top.remediation.joined().contains("GOPROXY"), "npm failures get npm's remedies: \(top.remediation)")
        if ["buildkit", "docker-legacy", "github-actions", "gitlab"].contains(expected.wrapper) {
            #expect(top.explains.contains("build_step_failed"), "the failed step is explained by the cause")
        }
    }

    @Test("npm's debug log is dated from its file name: absolute times at the run's start", arguments: NpmSample.debug)
    func debugLogTimes(_ sample: NpmSample) throws {
        let start = try #require(NpmSample.startTime(ofDebugLog: sample.input))
        let report = TestSupport.analyze([sample.path], timeline: true)
        #expect(report.inputs.first?.clock == .absolute)
        #expect(!report.timeline.isEmpty)
        for event in report.timeline {
            #expect(event.time.clock == .absolute)
            #expect(abs((event.time.seconds ?? 0) - start) < 0.0005, "\(event.text)")
        }
        if let evidence = report.hypotheses.first?.evidence.first {
            #expect(evidence.time.clock == .absolute)
            #expect(abs((evidence.time.seconds ?? 0) - start) < 0.0005)
        }
    }

    @Test("the same debug log under another name has no clock, and the same verdict")
    func debugLogRenamed() throws {
        let sample = try #require(NpmSample.debug.first { $0.folder == "dns-nxdomain" })
        let data = try #require(FileManager.default.contents(atPath: sample.path))
        let renamed = try TestSupport.scratchFile("npm-debug.log", Array(data))
        let report = TestSupport.analyze([renamed])
        #expect(report.inputs.first?.format == "npm-debug-log")
        #expect(report.inputs.first?.clock == EventTime.Clock.none)
        #expect(report.hypotheses.first?.cause == "dns_nxdomain")
        #expect(report.hypotheses.first?.evidence.first?.line == sample.expected.evidence?.line)
    }

    @Test("http fetch lines of the debug log are request events with host, url, status and duration")
    func requestEvents() throws {
        let sample = try #require(NpmSample.debug.first { $0.folder == "healthy" })
        let text = try String(contentsOfFile: sample.path, encoding: .utf8)
        // The reference: every `N http fetch METHOD STATUS URL Nms` line of the file, read here with a regex.
        let regex = try NSRegularExpression(pattern: #"^(\d+) http fetch ([A-Z]+) (\d{3}) (\S+) (\d+)ms"#, options: .anchorsMatchLines)
        let lines = text.components(separatedBy: "\n")
        var reference: [(line: Int, method: String, status: String, url: String, ms: String)] = []
        for (index, line) in lines.enumerated() {
            let ns = line as NSString
            guard let m = regex.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { continue }
            reference.append((index + 1, ns.substring(with: m.range(at: 2)), ns.substring(with: m.range(at: 3)),
                              ns.substring(with: m.range(at: 4)), ns.substring(with: m.range(at: 5))))
        }
        #expect(reference.count >= 3, "packument, tarball and audit requests")
        let report = TestSupport.analyze([sample.path], timeline: true)
        let requests = report.timeline.filter { $0.kind.rawValue == "http.fetch" }
        #expect(requests.count == reference.count)
        for (event, want) in zip(requests, reference) {
            #expect(event.location.line == want.line)
            #expect(event.subjects["method"] == want.method)
            #expect(event.subjects[Subjects.Key.status] == want.status)
            #expect(event.subjects[Subjects.Key.url] == want.url)
            #expect(event.subjects["duration_ms"] == want.ms)
            #expect(event.subjects[Subjects.Key.host] == "registry.npmjs.org")
        }
    }

    @Test("a failed request of the debug log carries its error code")
    func failedRequestEvent() throws {
        let sample = try #require(NpmSample.debug.first { $0.folder == "dns-nxdomain" })
        let report = TestSupport.analyze([sample.path], timeline: true)
        let request = try #require(report.timeline.first { $0.kind.rawValue == "http.fetch" })
        #expect(request.subjects["error"] == "ENOTFOUND")
        #expect(request.subjects["attempt"] == "1")
        #expect(request.subjects[Subjects.Key.status] == nil)
        #expect(request.subjects[Subjects.Key.url] == "http://registry.npmjs.org:8080/fl-greeting")
        #expect(request.severity == .warning)
    }

    @Test("terminal log and debug log of one run, analysed together, agree on one cause")
    func bothInputs() throws {
        let terminal = try #require(NpmSample.terminal.first { $0.folder == "connection-refused" })
        let debug = try #require(NpmSample.debug.first { $0.folder == "connection-refused" })
        let report = TestSupport.analyze([terminal.path, debug.path])
        #expect(report.hypotheses.count == 1)
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "connection_refused")
        #expect(Set(top.evidence.map(\.input)) == [terminal.path, debug.path])
    }
}
