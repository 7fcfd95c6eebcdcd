import Testing
import Faultline
@testable import FaultlineEngine

/// The correlation engine across sources, on events shaped exactly as the
/// decoders emit them (a log line classified by the real rule packs, and DNS
/// transactions and findings as the capture decoder reports them).
@Suite("Correlation across sources")
struct CorrelationTests {
    static let knowledge = TestSupport.knowledge
    static let paths = ["build.log", "dns.pcap"]

    /// A log line classified by the shipped signatures.
    static func logEvent(_ text: String, line: Int, time: EventTime = .unknown, step: StepRef? = nil) -> Event {
        var events = [Event(time: time, location: SourceLocation(input: 0, line: line), kind: .logLine, text: text, step: step)]
        var normalise = NormaliseStage(knowledge: knowledge)
        normalise.process(&events)
        return events[0]
    }

    static func transaction(_ host: String, rcode: String, frame: Int, at time: Double, answers: String? = nil,
                            nameserver: String = "10.99.1.53:53") -> Event {
        var subjects = Subjects(["host": host, "nameserver": nameserver, "client": "10.99.0.2:40000", "qtype": "A", "rcode": rcode])
        if let answers { subjects["answers"] = answers }
        if rcode != "none" { subjects["rtt_ms"] = "2.0" }
        return Event(time: .absolute(time), location: SourceLocation(input: 1, frame: frame), kind: EventKind("dns.transaction"),
                     text: "A? \(host) → \(rcode)", subjects: subjects)
    }

    static func finding(_ cause: String, host: String, frame: Int, at time: Double, confidence: Double = 0.9,
                        nameserver: String = "10.99.1.53:53") -> Event {
        Event(time: .absolute(time), location: SourceLocation(input: 1, frame: frame), kind: EventKind("dns.finding"),
              severity: .error, text: "\(cause) for \(host)", subjects: Subjects(["host": host, "nameserver": nameserver]),
              cause: cause, layer: knowledge.causes[cause]?.layer, confidence: confidence)
    }

    static func run(_ events: [Event]) -> Correlation {
        var pipeline = Pipeline(stages: [AlignStage()],
                                correlator: CaseCorrelator(knowledge: knowledge, inputPaths: paths),
                                ranker: LayerRanker(knowledge: knowledge))
        pipeline.push(events)
        return pipeline.finish()
    }

    static let timeout = "go: example.com/fl/greeting@v1.0.0: Get \"http://proxy.golang.org:8080/x.mod\": dial tcp: lookup proxy.golang.org on 10.99.1.53:53: read udp 10.99.0.2:51430->10.99.1.53:53: i/o timeout"

    @Test("a log and a capture that agree make one hypothesis with evidence from both, more confident than either")
    func agreement() throws {
        let log = Self.logEvent(Self.timeout, line: 31)
        let alone = try #require(Self.run([log]).hypotheses.first)
        let both = Self.run([log,
                             Self.transaction("proxy.golang.org", rcode: "none", frame: 1, at: 1000),
                             Self.transaction("proxy.golang.org", rcode: "none", frame: 2, at: 1001),
                             Self.finding("dns_server_unreachable", host: "proxy.golang.org", frame: 1, at: 1000)])
        #expect(both.hypotheses.count == 1)
        let top = try #require(both.hypotheses.first)
        #expect(top.cause == "dns_server_unreachable")
        #expect(top.sources == [0, 1])
        #expect(top.evidence.first?.line == 31)
        #expect(top.evidence.contains { $0.input == "dns.pcap" && $0.frame == 1 })
        #expect(top.confidence > alone.confidence)
    }

    @Test("a capture that answered the name speaks against the log's DNS claim")
    func against() throws {
        let log = Self.logEvent("go: example.com/m@v1.0.0: Get \"https://proxy.golang.org/x\": dial tcp: lookup proxy.golang.org on 10.99.1.53:53: no such host", line: 3)
        let alone = try #require(Self.run([log]).hypotheses.first)
        let result = Self.run([log, Self.transaction("proxy.golang.org", rcode: "NOERROR", frame: 7, at: 50, answers: "10.99.0.1")])
        let top = try #require(result.hypotheses.first)
        #expect(top.cause == "dns_nxdomain")
        #expect(top.against.count == 1)
        #expect(top.against.first?.frame == 7)
        #expect(top.confidence < alone.confidence * 0.5)
    }

    @Test("a REFUSED seen in the capture explains the log's `server misbehaving`")
    func refusedExplainsMisbehaving() throws {
        let log = Self.logEvent("go: example.com/m@v1.0.0: Get \"http://proxy.golang.org:8080/x\": dial tcp: lookup proxy.golang.org on 10.99.0.53:53: server misbehaving", line: 1)
        let result = Self.run([log, Self.finding("dns_refused", host: "proxy.golang.org", frame: 2, at: 10, nameserver: "10.99.0.53:53")])
        let top = try #require(result.hypotheses.first)
        #expect(result.hypotheses.count == 1)
        #expect(top.cause == "dns_refused")
        #expect(top.explains.contains("dns_servfail"))
        #expect(top.evidence.contains { $0.input == "build.log" && $0.line == 1 })
    }

    @Test("a log with a clock is put on the capture's clock, within what the evidence allows")
    func offset() throws {
        // The log's clock runs 120.4 s ahead; its error is written 1 s after the last unanswered query.
        let log = Self.logEvent(Self.timeout, line: 9, time: .absolute(2120.4 + 1))
        let result = Self.run([log,
                               Self.transaction("proxy.golang.org", rcode: "none", frame: 1, at: 1999),
                               Self.transaction("proxy.golang.org", rcode: "none", frame: 2, at: 2000)])
        let alignment = try #require(result.alignment.first)
        #expect(alignment.method == .sharedSubject)
        let offset = try #require(alignment.offsetSeconds)
        #expect(abs(offset - 120.4) < 0.01)
        let bounds = try #require(alignment.bounds)
        #expect(bounds.contains(offset))
        #expect(bounds.upperBound <= 121.4 + 0.5 + 1e-9, "the error cannot precede the last query")
    }

    @Test("a log without a clock is placed at the time the capture shows for the shared host")
    func placed() throws {
        let result = Self.run([Self.logEvent(Self.timeout, line: 2),
                               Self.transaction("proxy.golang.org", rcode: "none", frame: 1, at: 500),
                               Self.transaction("proxy.golang.org", rcode: "none", frame: 2, at: 501)])
        let alignment = try #require(result.alignment.first)
        #expect(alignment.method == .placedBySubject)
        #expect(alignment.placedAt == 502)
    }

    @Test("what a capture alone suggests does not fail a build whose log shows no failure")
    func healthyLogWins() {
        let ok = Event(location: SourceLocation(input: 0, line: 1), kind: .stepStart, text: "[builder 4/6] RUN go mod download",
                       step: StepRef(key: "bk:9"))
        let result = Self.run([ok, Self.finding("dns_search_expansion", host: "proxy.golang.org", frame: 1, at: 1, confidence: 0.6)])
        #expect(result.verdict == .success)
        #expect(result.hypotheses.isEmpty)
    }

    @Test("the timeline merges inputs in time order; untimed lines keep their place")
    func timeline() {
        let a = Event(time: .absolute(10), location: SourceLocation(input: 0, line: 1), kind: .logLine, text: "a")
        let b = Event(location: SourceLocation(input: 0, line: 2), kind: .logLine, text: "b")
        let c = Event(time: .absolute(30), location: SourceLocation(input: 0, line: 3), kind: .logLine, text: "c")
        let x = Event(time: .absolute(20), location: SourceLocation(input: 1, frame: 1), kind: .logLine, text: "x")
        let y = Event(time: .absolute(5), location: SourceLocation(input: 1, frame: 2), kind: .logLine, text: "y")
        let merged = TimelineMerge.merge([a, b, c, x, y], reorderWindow: 4)
        #expect(merged.map(\.text) == ["y", "a", "b", "x", "c"])
    }

    @Test("a line naming no host (yarn-error.log's bare ECONNREFUSED) joins the one hypothesis of its cause that names one")
    func subjectlessEvidenceJoins() throws {
        let terminal = Self.logEvent("error An unexpected error occurred: \"http://registry.npmjs.org:8080/fl-greeting: connect ECONNREFUSED 10.98.0.1:8080\".", line: 4)
        let bare = Self.logEvent("  Error: connect ECONNREFUSED 10.98.0.1:8080", line: 17)
        #expect(terminal.subjects[Subjects.Key.host] == "registry.npmjs.org")
        #expect(bare.subjects[Subjects.Key.host] == nil)
        let joined = Self.run([terminal, bare]).hypotheses
        #expect(joined.map(\.cause) == ["connection_refused"])
        #expect(joined.first?.evidence.map(\.line) == [4, 17])
        // With two hosts refused, a line naming neither cannot be placed: it stays on its own.
        let other = Self.logEvent("npm error request to http://mirror.example:8080/fl-greeting failed, reason: connect ECONNREFUSED 10.98.0.9:8080", line: 9)
        let apart = Self.run([terminal, other, bare]).hypotheses
        #expect(apart.filter { $0.cause == "connection_refused" }.count == 3)
    }
}
