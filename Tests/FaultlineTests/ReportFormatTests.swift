import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Faultline

@Suite("Report formats: html, markdown, github, sarif, junit")
struct ReportFormatTests {
    /// A real BuildKit log whose failing line (31) and a few appended lines carry HTML, quotes,
    /// backticks, workflow commands, percent escapes, control characters and invalid UTF-8,
    /// beside a capture that asks for a name made of the same, unanswered three times.
    static func hostileCase() throws -> [String] {
        let sample = TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log")
        let hostile = "<script>alert(\"x\")</script> 'q' ``` ```` ::error::pwned %0A::warning::x \u{1B}[31m \u{07}\u{01}\u{7F}\u{2028}<img src=x onerror=alert(1)>](javascript:alert(1)) ![i](http://evil.example/i.png) @octocat www.evil.example"
        var lines = try String(contentsOf: sample, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains("lookup proxy.golang.org on 10.99.1.53:53") })
        lines[index] = lines[index].replacingOccurrences(of: "v1.0.0.mod", with: "v1.0.0.mod" + hostile)
        lines.append("::error file=x.go,line=1::injected from the log")
        lines.append("</pre></code><script>document.title='pwned'</script>")
        var bytes = Array(lines.joined(separator: "\n").utf8)
        // Invalid UTF-8 inside the failing line.
        if let at = bytes.firstIndex(of: UInt8(ascii: "<")) { bytes.insert(contentsOf: [0xFF, 0xFE, 0xC3], at: at) }
        let log = try TestSupport.scratchFile("hostile-build.log", bytes)

        let name = "<script>alert(1)<%2Fscript>.`x`::error::y%0A.example"
        var pcap = PcapBuilder(linkType: 1)
        for (i, time) in [1_780_000_000.0, 1_780_000_005.0, 1_780_000_010.0].enumerated() {
            let query = PcapBuilder.query(id: 0x4000 + i, name)
            pcap.add(PcapBuilder.ethernet(PcapBuilder.udp4("10.99.0.2", "10.99.1.53", 40000 + i, 53, query)), time: time)
        }
        let capture = try TestSupport.scratchFile("hostile.pcap", pcap.bytes)
        return [log, capture]
    }

    static let catalogue = ReportCatalogue(TestSupport.knowledge)

    static func render(_ format: ReportFormat, _ report: Report) -> String {
        format.renderer(includeTimeline: true, catalogue: catalogue).render(report)
    }

    @Test("input text is inert in every format")
    func hostileInputIsInert() throws {
        let report = TestSupport.analyze(try Self.hostileCase(), timeline: true)
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "dns_server_unreachable")
        let texts = report.hypotheses.flatMap(\.evidence).map(\.text) + report.timeline.map(\.text)
        #expect(texts.contains { $0.contains("<script>alert(\"x\")") }, "the hostile line is evidence or timeline text")

        // HTML: the report's own script is the only one; no tag or attribute from the input.
        let html = Self.render(.html, report)
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(!html.contains("<img"))
        #expect(!html.contains("</pre></code>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{01}") && !html.contains("\u{2028}"))
        #expect(html.contains("Content-Security-Policy"))

        // GitHub: every line is a command the renderer wrote, with escaped properties and one-line messages.
        let github = Self.render(.github, report)
        let commands = github.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(commands.count == report.hypotheses.prefix(20).reduce(0) { $0 + max(1, min(5, $1.evidence.count)) })
        for line in commands {
            let match = line.wholeMatch(of: /::(error|warning|notice) ((?:file|line|title)=[^,:\r\n]*(?:,(?:file|line|title)=[^,:\r\n]*)*)::([^\r]*)/)
            #expect(match != nil, "not a command of ours: \(line)")
            #expect(!line.contains("\r"))
        }
        #expect(github.contains("::error::pwned %250A::warning::x"), "the log's commands are message data")
        #expect(!github.contains("\u{1B}"))

        // Markdown: no raw HTML, link or image outside code blocks; the code blocks hold the hostile line whole.
        let markdown = Self.render(.markdown, report)
        let (prose, code) = Self.splitFences(markdown)
        #expect(!prose.contains("<"))
        #expect(!prose.contains("](") && !prose.contains("!["))
        #expect(!prose.contains("www.evil") && !prose.contains("http://"))
        #expect(code.contains { $0.contains("<script>alert(\"x\")</script> 'q' ``` ```` ::error::pwned") })
        #expect(!markdown.contains("\u{1B}") && !markdown.contains("\u{01}"))

        // SARIF: valid JSON that carries the text losslessly.
        let sarif = Self.render(.sarif, report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let results = try #require(((object["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        #expect(results.count == report.hypotheses.count)
        #expect(!sarif.contains("<script"))
        #expect(sarif.contains("\\u003cscript\\u003ealert"))

        // JUnit: well-formed XML 1.0 with the text as character data.
        let junit = Self.render(.junit, report)
        let parser = XMLParser(data: Data(junit.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        #expect(parser.parse(), "JUnit XML parses: \(String(describing: parser.parserError))")
        #expect(collector.names.filter { $0 == "testcase" }.count == report.hypotheses.count)
        #expect(collector.text.contains("<script>alert(\"x\")</script>"))
        #expect(!collector.names.contains("script") && !collector.names.contains("img"))
    }

    @Test("a multi-source sample in every format: rules, locations, levels, test cases")
    func multiSourceSample() throws {
        let dir = TestSupport.samples.appendingPathComponent("jvm/dns-hang")
        let log = dir.appendingPathComponent("service.log").path
        let report = TestSupport.analyze([log, dir.appendingPathComponent("dns.pcap").path], timeline: true)
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "dns_server_unreachable")

        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(Self.render(.sarif, report).utf8)) as? [String: Any])
        #expect(sarif["$schema"] as? String == SARIFReportRenderer.schemaURI)
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.first?["id"] as? String == "dns_server_unreachable")
        #expect((rules.first?["shortDescription"] as? [String: Any])?["text"] as? String == "Resolver never answered")
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["level"] as? String == "error")
        let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "file://" + log)
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 304)

        let github = Self.render(.github, report)
        #expect(github.hasPrefix("::error file=\(WorkflowCommandEscaping.property(log)),line=304,title=1. dns_server_unreachable%3A "))

        let markdown = Self.render(.markdown, report)
        for heading in ["**Evidence**", "**Fix**", "**Confirm**", "getent ahosts inventory.fl-jvm.internal", "chain: dns\\_server\\_unreachable → jvm\\_blocked\\_on\\_dns"] {
            #expect(markdown.contains(heading), "markdown has \(heading)")
        }

        let html = Self.render(.html, report)
        #expect(html.contains("data-cause=\"dns_server_unreachable\""))
        #expect(html.contains("class=\"lane\" data-input=\"\(log)\""))
        #expect(html.contains("class=\"m err h1\""), "the top hypothesis's evidence is marked for highlighting")
        #expect(html.contains("clock offset +0.00 s vs"), "the offset and its range are drawn")
        // What did not move between the service log's three dumps is drawn between them, as the dumps' events count it.
        let dumps = report.timeline.filter { $0.kind.rawValue == "jvm.dump" }
        #expect(dumps.count == 3)
        for (index, dump) in dumps.enumerated().dropFirst() {
            let unmoved = try #require(dump.subjects["unmoved"].flatMap { Int($0) })
            #expect(dump.text.contains("\(unmoved) busy threads did not move"))
            #expect(html.contains("<title>\(unmoved) busy threads did not move between dump \(index) and dump \(index + 1)</title>"))
        }
    }

    @Test("a success is one passing test case and a notice; a symptom is a warning")
    func successAndSymptoms() throws {
        let healthy = TestSupport.analyze([TestSupport.samples.appendingPathComponent("go/healthy/build.log").path])
        #expect(healthy.verdict == .success)
        let junit = Self.render(.junit, healthy)
        #expect(junit.contains("<testcase classname=\"faultline\" name=\"build\"/>"))
        #expect(junit.contains("failures=\"0\""))
        #expect(Self.render(.github, healthy) == "::notice title=faultline::Nothing failed.\n")

        let symptom = Hypothesis(cause: "build_step_failed", layer: .build, confidence: 0.6, title: "Build step failed",
                                 subjects: Subjects(), evidence: [Evidence(input: "ci.log", line: 9, text: "exit code: 1")])
        let report = Report(verdict: .failure, inputs: [], hypotheses: [symptom], pipeline: "default")
        #expect(Self.render(.github, report).hasPrefix("::warning file=ci.log,line=9,title="))
        #expect(Self.render(.sarif, report).contains("\"level\": \"warning\""))
    }

    @Test("markdown stays under 64 KiB whatever the input and says what was cut")
    func markdownIsBounded() {
        let long = String(repeating: "x`<&>", count: 2000)
        let hypotheses = (0..<300).map { i in
            Hypothesis(cause: "dns_nxdomain", layer: .networkDNS, confidence: 0.5, title: long, subjects: Subjects(["host": long]),
                       evidence: (0..<40).map { Evidence(input: "build.log", line: $0 + i, text: long) },
                       remediation: [long], verify: [long])
        }
        let report = Report(verdict: .failure, inputs: [InputSummary(path: long, format: "go-log")], hypotheses: hypotheses, pipeline: "default")
        let markdown = MarkdownReportRenderer().render(report)
        #expect(markdown.utf8.count < 64 * 1024)
        #expect(markdown.contains("_Cut to stay under 64 KiB:"))
        #expect(markdown.contains("hypotheses"))
        #expect(markdown.contains("### 1\\."))
    }

    @Test("the HTML timeline stays bounded at 100,000 events")
    func htmlAtScale() throws {
        var timeline: [Event] = []
        let start = 1_780_000_000.0
        for i in 0..<100_000 {
            var event = Event(time: .absolute(start + Double(i) * 0.0006), location: SourceLocation(input: 0, frame: i + 1),
                              kind: EventKind("dns.transaction"), text: "A? host\(i % 5000).example → no reply")
            event.subjects = Subjects(["host": "host\(i % 5000).example", "rcode": i % 3 == 0 ? "none" : "NOERROR"])
            timeline.append(event)
        }
        let evidence = Evidence(input: "big.pcap", frame: 7, text: "A? host6.example → no reply")
        let hypothesis = Hypothesis(cause: "dns_server_unreachable", layer: .networkDNS, confidence: 0.9, title: "Resolver never answered",
                                    subjects: Subjects(), evidence: [evidence])
        var report = Report(verdict: .failure, inputs: [InputSummary(path: "big.pcap", format: "pcap", events: 100_000, clock: .absolute)],
                            hypotheses: [hypothesis], timeline: timeline, pipeline: "default")
        report.alignment = []
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = HTMLReportRenderer().render(report) }
        #expect(elapsed < .seconds(20))
        #expect(html.utf8.count < 2_000_000, "\(html.utf8.count) bytes")
        let marks = html.components(separatedBy: "<g class=\"m").count - 1
        #expect(marks > 10 && marks < 2_000, "\(marks) marks")
        #expect(html.contains("class=\"m dns err h1\""), "the evidence is still drawn on its own")
        #expect(html.contains("events here"), "the rest is binned with counts")
    }

    @Test("escaping helpers: workflow properties, markdown fences, XML")
    func escapers() {
        #expect(WorkflowCommandEscaping.property("a:b,c%d\ne") == "a%3Ab%2Cc%25d\\u{a}e")
        #expect(WorkflowCommandEscaping.data("50%\r\n::x") == "50%25%0D%0A::x")
        let block = MarkdownEscaping.codeBlock(["a ````` b", "```"])
        #expect(block.hasPrefix("``````text\n") && block.hasSuffix("\n``````\n"))
        #expect(MarkdownEscaping.inline("[a](b) <i> *c* www.x.org") == "\\[a\\]\\(b\\) &lt;i&gt; \\*c\\* www\\.x.org")
        #expect(XMLEscaping.escape("a<&>\"'\u{0}\u{FFFE}b") == "a&lt;&amp;&gt;&quot;&apos;\\u{0}\\u{fffe}b")
        #expect(HTMLEscaping.escape("<a href='x'>\u{202E}") == "&lt;a href=&#39;x&#39;&gt;\\u{202e}")
        #expect(SARIFReportRenderer.uri("logs/a b#1.log") == "logs/a%20b%231.log")
    }

    /// Markdown outside fenced code blocks, and the lines inside them (fences by backtick count).
    static func splitFences(_ markdown: String) -> (prose: String, code: [String]) {
        var prose = "", code: [String] = []
        var fence: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let ticks = line.prefix { $0 == "`" }.count
            if let open = fence {
                if ticks >= open, line.allSatisfy({ $0 == "`" }) { fence = nil } else { code.append(String(line)) }
            } else if ticks >= 3 {
                fence = ticks
            } else {
                prose += line + "\n"
            }
        }
        return (prose, code)
    }
}

/// Collects element names and character data from an XML parse.
final class ElementCollector: NSObject, XMLParserDelegate {
    var names: [String] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        names.append(elementName)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
