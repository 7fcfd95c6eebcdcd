import Foundation
import Testing
@testable import Faultline

/// `batch --reports DIR` (a report file per case) and `summary --format html` (one page over a batch).
@Suite("Per-case report files and the summary page", .serialized)
struct BatchReportsTests {
    @Test("batch --reports writes each case's HTML report, identical to analyze --format html on the same folder, and names it in the line")
    func reportPerCase() throws {
        let dir = try BatchSupport.scratchFolder("reports")
        let go = TestSupport.samples.appendingPathComponent("go").path
        let cases = ["dns-refused", "module-404", "healthy"].map { go + "/" + $0 }
        let batch = try CLIProcess.run(["batch", "--cases-from", "-", "--out", "-", "--quiet", "--sorted",
                                        "--reports", dir + "/reports"], stdin: cases.joined(separator: "\n"))
        #expect(batch.status == 0, "\(batch.stderr)")
        let lines = try batch.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.count == 3)
        for line in lines {
            let key = try #require(line["case"] as? String)
            let file = try #require(line["report_file"] as? String)
            #expect(file.hasPrefix(dir + "/reports/") && file.hasSuffix(".html"))
            let written = try String(contentsOfFile: file, encoding: .utf8)
            let alone = try CLIProcess.run(["analyze", "--format", "html", "--quiet", key])
            #expect(written == alone.stdout, "\(key)")
            #expect(written.contains("<svg"))
        }
        // Markdown instead, to a folder that must be made, parents and all.
        let markdown = try CLIProcess.run(["batch", cases[1], "--out", "/dev/null", "--quiet",
                                           "--reports", dir + "/md/deeper", "--report-format", "markdown"])
        #expect(markdown.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/md/deeper")
        #expect(files.count == 1 && files[0].hasSuffix(".md"))
        let text = try String(contentsOfFile: dir + "/md/deeper/" + files[0], encoding: .utf8)
        #expect(text.contains("module\\_not\\_found"))  // Markdown-escaped
        // A reports path that is a file is refused before any case is analysed.
        let refused = try CLIProcess.run(["batch", cases[0], "--out", "/dev/null", "--quiet", "--reports", cases[0] + "/build.log"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot make the reports folder"))
    }

    @Test("report file names: stable, safe characters only, and keys that read alike still differ")
    func fileNames() {
        let folder = CaseReportFolder(path: "r", format: .html, catalogue: .init())
        let a = folder.fileName(for: "logs.tgz!/run-7")
        #expect(a == folder.fileName(for: "logs.tgz!/run-7"))
        #expect(a.hasPrefix("logs.tgz__run-7-") && a.hasSuffix(".html"))
        #expect(a != folder.fileName(for: "logs.tgz_/run-7"))
        let hostile = folder.fileName(for: "../../etc/passwd\n<script>")
        #expect(!hostile.contains("/") && !hostile.hasPrefix(".") && !hostile.contains("<"))
        #expect(folder.fileName(for: String(repeating: "x", count: 500)).count <= 96 + 1 + 8 + 5)
        #expect(CaseReportFolder(path: "r", format: .sarif, catalogue: .init()).fileName(for: "k").hasSuffix(".sarif"))
    }

    @Test("summary --format html: causes over time as stacked bars with their counts, tables, cases linked to their reports, all escaped")
    func summaryPage() throws {
        var records = SummaryTests.records
        records.append(CaseRecord(key: "<script>alert(1)</script>", verdict: "failure", cause: "dns_nxdomain\"><b>",
                                  layer: "network-dns", subjects: ["host": "<img src=x onerror=alert(1)>"], day: "2026-01-06"))
        records[0].reportFile = "reports/a-1234.html"
        records[1].reportFile = "javascript:alert(1)"
        let page = CauseSummaryRenderer.render(CauseSummary(records: records), format: "html")
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("default-src 'none'"))
        // 2026-01-05: dns_server_unreachable 1 and registry_auth_required 1; 2026-01-06: dns_server_unreachable 1 and the hostile cause 1.
        #expect(page.contains("<title>2026-01-05: dns_server_unreachable 1 of 2</title>"))
        #expect(page.contains("<title>2026-01-05: registry_auth_required 1 of 2</title>"))
        #expect(page.contains("<title>2026-01-06: dns_nxdomain&quot;&gt;&lt;b&gt; 1 of 2</title>"))
        #expect(page.components(separatedBy: "<rect ").count - 1 == 4)
        #expect(page.contains("<a href=\"reports/a-1234.html\">"))
        #expect(!page.contains("href=\"javascript"))
        #expect(!page.contains("<script>") && !page.contains("<img") && !page.contains("<b>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(CauseSummaryRenderer.formats.contains("html"))
    }
}
