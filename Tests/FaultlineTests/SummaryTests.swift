import Foundation
import Testing
@testable import Faultline

@Suite("Summary: causes across a batch")
struct SummaryTests {
    static let records = [
        CaseRecord(key: "a", verdict: "failure", cause: "dns_server_unreachable", layer: "network-dns",
                   subjects: ["host": "proxy.golang.org", "nameserver": "10.96.0.10:53"], day: "2026-01-05"),
        CaseRecord(key: "b", verdict: "failure", cause: "dns_server_unreachable", layer: "network-dns",
                   subjects: ["host": "proxy.golang.org", "nameserver": "10.96.0.10:53"], day: "2026-01-06"),
        CaseRecord(key: "c", verdict: "failure", cause: "module_not_found", layer: "network-http",
                   subjects: ["module": "example.com/m", "host": "proxy.golang.org"], day: nil),
        CaseRecord(key: "d", verdict: "success", cause: "none"),
        // The same key again (a second shard's copy): counted once, the last one read.
        CaseRecord(key: "c", verdict: "failure", cause: "registry_auth_required", layer: "network-http",
                   subjects: ["package": "left-pad"], day: "2026-01-05"),
    ]

    @Test("causes, layers, days and subjects are counted once per case, most first")
    func counts() {
        let summary = CauseSummary(records: Self.records)
        #expect(summary.cases == 4)
        #expect(summary.verdicts == [.init(name: "failure", count: 3), .init(name: "success", count: 1)])
        #expect(summary.causes == [.init(name: "dns_server_unreachable", count: 2), .init(name: "registry_auth_required", count: 1)])
        #expect(summary.layers == [.init(name: "network-dns", count: 2), .init(name: "network-http", count: 1)])
        #expect(summary.days.map(\.day) == ["2026-01-05", "2026-01-06"])
        #expect(summary.days.first?.causes == [.init(name: "dns_server_unreachable", count: 1), .init(name: "registry_auth_required", count: 1)])
        #expect(summary.subjects["host"] == [.init(name: "proxy.golang.org", count: 2)])
        #expect(summary.subjects["package"] == [.init(name: "left-pad", count: 1)])
        #expect(summary.changes == nil)
    }

    @Test("--by week dates cases by ISO 8601 week, across a year's end")
    func byWeek() {
        #expect(CauseSummary.isoWeek(of: "2026-01-05") == "2026-W02")
        #expect(CauseSummary.isoWeek(of: "2026-01-01") == "2026-W01")
        #expect(CauseSummary.isoWeek(of: "2027-01-01") == "2026-W53")
        #expect(CauseSummary.isoWeek(of: "2024-12-30") == "2025-W01")
        #expect(CauseSummary.isoWeek(of: "2021-01-03") == "2020-W53")
        let summary = CauseSummary(records: Self.records, period: .week)
        #expect(summary.days.map(\.day) == ["2026-W02"])
        #expect(summary.days.first?.cases == 3)
    }

    @Test("--since lists the cases whose top cause is new or changed")
    func since() {
        let older = [CaseRecord(key: "a", verdict: "failure", cause: "dns_server_unreachable"),
                     CaseRecord(key: "b", verdict: "failure", cause: "dns_slow")]
        let summary = CauseSummary(records: Self.records, older: older)
        #expect(summary.changes == [.init(key: "b", cause: "dns_server_unreachable", previous: "dns_slow"),
                                    .init(key: "c", cause: "registry_auth_required", previous: nil)])
        let json = CauseSummaryRenderer.render(summary, format: "json")
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((object?["new_causes"] as? [Any])?.count == 2)
        #expect(CauseSummaryRenderer.render(summary, format: "markdown").contains("| `b` | `dns_server_unreachable` | `dns_slow` |"))
    }

    @Test("a batch's NDJSON and its database give the same records")
    func ndjsonAndDatabaseAgree() throws {
        let dir = try BatchSupport.scratchFolder("summary")
        let database = try BatchDatabase(path: dir + "/r.sqlite")
        var lines = ""
        let (results, _) = try BatchSupport.run([TestSupport.samples.appendingPathComponent("npm").path])
        for result in results {
            try database.store(result, pipeline: "default")
            lines += result.line + "\n"
        }
        try lines.write(toFile: dir + "/r.ndjson", atomically: true, encoding: .utf8)
        let fromLines = RecordReader.read(dir + "/r.ndjson")
        let fromDatabase = RecordReader.read(dir + "/r.sqlite")
        #expect(fromLines.error == nil && fromLines.skipped == 0)
        #expect(fromLines.records.count == results.count)
        #expect(fromLines.records.sorted { $0.key < $1.key } == fromDatabase.records)
        let byKey = Dictionary(uniqueKeysWithValues: fromLines.records.map { ($0.key, $0) })
        let dnsCase = try #require(byKey[TestSupport.samples.appendingPathComponent("npm/dns-nxdomain").path])
        #expect(dnsCase.cause == "dns_nxdomain" && dnsCase.layer == "network-dns")
        #expect(dnsCase.day?.count == 10)
    }
}
