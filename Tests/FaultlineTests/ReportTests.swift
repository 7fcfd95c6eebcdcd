import Foundation
import Testing
import Faultline

@Suite("Reports: the JSON contract and escaping")
struct ReportTests {
    static let hostile = "go: example.com/m@v1.0.0: reading http://proxy.golang.org:8080/<script>alert</script>/@v/v1.0.0.mod: 404 Not Found \u{1B}]0;pwned\u{07}\u{1B}[2J \u{2028} back\u{08}\u{08}space \u{9B}31m\n"

    @Test("JSON follows faultline.report/1 and parses back")
    func contract() throws {
        let log = TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log").path
        let report = TestSupport.analyze([log])
        let json = JSONReportRenderer().render(report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "faultline.report/1")
        #expect(object["verdict"] as? String == "failure")
        let inputs = try #require(object["inputs"] as? [[String: Any]])
        #expect(inputs.first?["format"] as? String == "buildkit")
        #expect(inputs.first?["clock"] as? String == "relative")
        let top = try #require((object["hypotheses"] as? [[String: Any]])?.first)
        #expect(top["cause"] as? String == "dns_server_unreachable")
        #expect(top["layer"] as? String == "network-dns")
        #expect((top["subjects"] as? [String: String])?["nameserver"] == "10.99.1.53:53")
        let evidence = try #require((top["evidence"] as? [[String: Any]])?.first)
        #expect(evidence["input"] as? String == log)
        #expect(evidence["line"] as? Int == 31)
        #expect((top["explains"] as? [String]) == ["build_step_failed"])
        #expect((top["verify"] as? [String])?.first == "nslookup proxy.golang.org 10.99.1.53")
    }

    @Test("text from the input is escaped in JSON and made printable in text")
    func escaping() throws {
        let path = try TestSupport.scratchFile("hostile.log", Self.hostile)
        let report = TestSupport.analyze([path])
        let json = JSONReportRenderer().render(report)
        #expect(!json.contains("<script>"))
        #expect(json.contains("\\u003cscript\\u003e"))
        #expect(!json.contains("\u{1B}"))
        #expect(!json.contains("\u{2028}"))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let text = ((object?["hypotheses"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]])?.first?["text"] as? String
        #expect(text?.contains("<script>") == true, "escaping is lossless")
        let human = TextReportRenderer(colour: false).render(report)
        #expect(!human.contains("\u{1B}"))
        #expect(!human.contains("\u{07}"))
        #expect(!human.contains("pwned"), "terminal escape sequences from the log are removed")
        #expect(human.contains("back\\u{8}\\u{8}space"), "other control characters are shown, not sent")
        #expect(human.contains("\\u{9b}31m"), "C1 controls too")
    }

    @Test("the text report colours only when asked")
    func colour() throws {
        let path = try TestSupport.scratchFile("plain.log", InputTests.failing)
        let report = TestSupport.analyze([path])
        #expect(!TextReportRenderer(colour: false).render(report).contains("\u{1B}["))
        #expect(TextReportRenderer(colour: true).render(report).contains("\u{1B}["))
    }
}
