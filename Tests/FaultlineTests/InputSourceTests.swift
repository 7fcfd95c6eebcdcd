import Foundation
import Testing
import Faultline
import FaultlineInput

@Suite("Input sources: bytes in memory read exactly as the same file on disk")
struct InputSourceTests {
    static func json(_ report: Report) -> String { JSONReportRenderer(pretty: false).render(report) }

    @Test("a log and its capture given as bytes give the report their files give", arguments: ["go/dns-refused", "go/dns-search-expansion", "npm/dns-nxdomain", "jvm/monitor-deadlock"])
    func bytesEqualFiles(sample: String) throws {
        let folder = TestSupport.samples.appendingPathComponent(sample)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { !$0.hasPrefix(".") }
            .map { folder.appendingPathComponent($0).path }
        let fromFiles = TestSupport.analyze(files)
        let sources: [InputSource] = try files.map { .bytes(name: $0, Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) }
        let fromBytes = Analyzer(knowledge: TestSupport.knowledge).analyze(sources: sources)
        #expect(Self.json(fromBytes) == Self.json(fromFiles))
        #expect(!fromFiles.inputs.isEmpty)
    }

    @Test("gzipped bytes are gunzipped like a .gz file, and an unreadable source is reported in its place")
    func gzipAndUnreadable() throws {
        let log = Array("go: example.com/m@v1.0.0: reading https://proxy.golang.org/example.com/m/@v/v1.0.0.mod: 404 Not Found\n".utf8)
        let missing = Diagnostic(code: "batch.member-unreadable", message: "cut short", input: "a.tar!/x/y.log", byteOffset: 512)
        let report = Analyzer(knowledge: TestSupport.knowledge)
            .analyze(sources: [.unreadable(missing), .bytes(name: "a.tar!/x/build.log.gz", try Gzip.compress(log))])
        #expect(report.hypotheses.first?.cause == "module_not_found")
        #expect(report.inputs.map(\.path) == ["a.tar!/x/y.log", "a.tar!/x/build.log.gz"])
        #expect(report.inputs.map(\.failed) == [true, false])
        #expect(report.inputs[1].format == "go-log")
        #expect(report.diagnostics.first == missing)
    }
}
