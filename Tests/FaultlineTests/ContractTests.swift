import Foundation
import Testing
import Faultline

/// The contract in the repository (`docs/report.md`, `docs/faultline.report-1.schema.json`)
/// agrees with the code: every cause id, every exit status, every report made from `Samples/`.
@Suite("Report contract")
struct ContractTests {
    static var page: String {
        (try? String(contentsOf: TestSupport.root.appendingPathComponent("docs/report.md"), encoding: .utf8)) ?? ""
    }

    static func schema() throws -> JSONSchemaValidator {
        let data = try Data(contentsOf: TestSupport.root.appendingPathComponent("docs/faultline.report-1.schema.json"))
        return JSONSchemaValidator(root: try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    /// Every sample case folder (a log, maybe its capture and debug log, and `expected.json`).
    static var sampleCases: [URL] {
        ["go", "npm", "jvm"].flatMap { kind -> [URL] in
            let folder = TestSupport.samples.appendingPathComponent(kind)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.sorted().map { folder.appendingPathComponent($0) }
                .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("expected.json").path) }
        }
    }

    @Test("every cause id in Pipelines/ has a row in docs/report.md, with its layer")
    func causeCatalogue() {
        let rows = Self.page.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(TestSupport.knowledge.causes.count > 40)
        for cause in TestSupport.knowledge.causes.values {
            let row = rows.first { $0.hasPrefix("| `\(cause.id)`") }
            #expect(row != nil, "docs/report.md has no row for the cause \(cause.id) (Pipelines/causes.yaml)")
            #expect(row?.contains("| \(cause.layer.rawValue) |") == true, "the row of \(cause.id) names layer \(cause.layer.rawValue)")
        }
    }

    @Test("every exit status the command line documents is in the page's table")
    func exitStatuses() throws {
        let help = try CLIProcess.run(["--help"]).stdout
        let statuses = Set(help.matches(of: /(\d+)\s+(?:the|bad|an|with)\b/).map { String($0.output.1) })
        #expect(statuses == ["0", "1", "2", "3", "4"], "\(statuses)")
        let table = Self.page.components(separatedBy: "## Exit statuses").last ?? ""
        for status in statuses { #expect(table.contains("\n| \(status) |"), "exit status \(status) is not in docs/report.md") }
    }

    @Test("the schema's layers and verdicts are the code's")
    func enumsMatchTheCode() throws {
        let defs = try #require(try Self.schema().root["$defs"] as? [String: Any])
        let layers = try #require((defs["layer"] as? [String: Any])?["enum"] as? [String])
        #expect(layers == Layer.allCases.map(\.rawValue))
        let properties = try #require(try Self.schema().root["properties"] as? [String: Any])
        let verdicts = try #require((properties["verdict"] as? [String: Any])?["enum"] as? [String])
        #expect(Set(verdicts) == Set(["failure", "success", "unknown"]))
    }

    @Test("the JSON report of every sample, with its timeline, validates against the schema")
    func samplesValidate() throws {
        let validator = try Self.schema()
        let renderer = JSONReportRenderer(pretty: false, includeTimeline: true)
        #expect(Self.sampleCases.count > 60)
        var causes: Set<String> = []
        for folder in Self.sampleCases {
            let report = TestSupport.analyze([folder.path], timeline: true)
            let json = try JSONSerialization.jsonObject(with: Data(renderer.render(report).utf8))
            let errors = validator.errors(json)
            #expect(errors.isEmpty, "\(folder.lastPathComponent): \(errors.prefix(5))")
            causes.formUnion(report.hypotheses.map(\.cause))
        }
        #expect(causes.count > 30, "the samples exercise many causes: \(causes.count)")
    }

    @Test("the validator rejects what the schema forbids")
    func validatorFails() throws {
        let validator = try Self.schema()
        let report = TestSupport.analyze([TestSupport.samples.appendingPathComponent("go/dns-refused").path])
        let text = JSONReportRenderer(pretty: false).render(report)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(validator.errors(json).isEmpty)
        json["verdict"] = "broken"
        json.removeValue(forKey: "inputs")
        var hypotheses = try #require(json["hypotheses"] as? [[String: Any]])
        hypotheses[0]["confidence"] = 1.5
        hypotheses[0]["surprise"] = true
        json["hypotheses"] = hypotheses
        let errors = validator.errors(json)
        #expect(errors.contains { $0.hasPrefix("$.verdict:") })
        #expect(errors.contains("$: missing required 'inputs'"))
        #expect(errors.contains("$.hypotheses[0].confidence: 1.5 > maximum 1.0"))
        #expect(errors.contains("$.hypotheses[0]: unexpected property 'surprise'"))
    }
}
