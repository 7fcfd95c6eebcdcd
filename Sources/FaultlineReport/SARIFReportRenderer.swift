public import FaultlineCore

/// Renders a report as SARIF 2.1.0 for code-scanning tools: one run of the
/// `faultline` tool, a rule per cause met (id and title from the cause
/// catalogue), one result per hypothesis with its evidence as locations
/// (artifact URI and start line when known). Root causes are `error`,
/// symptoms `warning`. Strings are escaped by `JSONWriter`.
public struct SARIFReportRenderer: ReportRendering {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public var catalogue: ReportCatalogue

    public init(catalogue: ReportCatalogue = ReportCatalogue()) {
        self.catalogue = catalogue
    }

    public func render(_ report: Report) -> String {
        var ruleIDs: [String] = []
        for hypothesis in report.hypotheses where !ruleIDs.contains(hypothesis.cause) { ruleIDs.append(hypothesis.cause) }
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.field("$schema", Self.schemaURI)
        w.field("version", "2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.field("name", "faultline")
        if let provenance = report.provenance {
            w.field("version", provenance.version + "+" + provenance.commit.prefix(12))
            w.field("semanticVersion", provenance.version)
        }
        w.field("informationUri", "https://github.com/faultline/faultline")
        w.key("rules")
        w.beginArray()
        for id in ruleIDs {
            w.beginObject()
            w.field("id", id)
            w.field("name", id)
            w.key("shortDescription")
            w.beginObject()
            w.field("text", catalogue.title(id))
            w.endObject()
            w.key("defaultConfiguration")
            w.beginObject()
            w.field("level", level(id))
            w.endObject()
            w.key("properties")
            w.beginObject()
            w.field("layer", catalogue.causes[id]?.layer.rawValue ?? report.hypotheses.first { $0.cause == id }?.layer.rawValue ?? "")
            w.key("symptom")
            w.bool(catalogue.isSymptom(id))
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
        w.key("invocations")
        w.beginArray()
        w.beginObject()
        w.key("executionSuccessful")
        w.bool(true)
        w.endObject()
        w.endArray()
        w.key("results")
        w.beginArray()
        for (rank, hypothesis) in report.hypotheses.enumerated() {
            write(hypothesis, rank: rank, ruleIndex: ruleIDs.firstIndex(of: hypothesis.cause) ?? 0, to: &w)
        }
        w.endArray()
        w.key("properties")
        w.beginObject()
        w.field("verdict", report.verdict.rawValue)
        w.field("schema", Report.schema)
        w.endObject()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.output + "\n"
    }

    private func level(_ cause: String) -> String { catalogue.isSymptom(cause) ? "warning" : "error" }

    private func write(_ hypothesis: Hypothesis, rank: Int, ruleIndex: Int, to w: inout JSONWriter) {
        w.beginObject()
        w.field("ruleId", hypothesis.cause)
        w.field("ruleIndex", ruleIndex)
        w.field("level", level(hypothesis.cause))
        w.field("rank", rank + 1)
        w.key("message")
        w.beginObject()
        w.field("text", hypothesis.title)
        w.endObject()
        w.key("locations")
        w.beginArray()
        for evidence in hypothesis.evidence { location(evidence, to: &w) }
        w.endArray()
        if !hypothesis.against.isEmpty {
            w.key("relatedLocations")
            w.beginArray()
            for (index, evidence) in hypothesis.against.enumerated() { location(evidence, id: index + 1, to: &w) }
            w.endArray()
        }
        w.key("properties")
        w.beginObject()
        w.field("layer", hypothesis.layer.rawValue)
        w.key("confidence")
        w.number(hypothesis.confidence, decimals: 2)
        w.key("subjects")
        JSONReportRenderer.writeSubjects(hypothesis.subjects, to: &w)
        w.field("explains", strings: hypothesis.explains)
        w.field("remediation", strings: hypothesis.remediation)
        w.field("verify", strings: hypothesis.verify)
        w.endObject()
        w.endObject()
    }

    private func location(_ evidence: Evidence, id: Int? = nil, to w: inout JSONWriter) {
        w.beginObject()
        if let id { w.field("id", id) }
        w.key("physicalLocation")
        w.beginObject()
        w.key("artifactLocation")
        w.beginObject()
        w.field("uri", Self.uri(evidence.input))
        w.endObject()
        if let line = evidence.line, line > 0 {
            w.key("region")
            w.beginObject()
            w.field("startLine", line)
            w.endObject()
        }
        w.endObject()
        w.key("message")
        w.beginObject()
        w.field("text", evidence.text)
        w.endObject()
        if let frame = evidence.frame {
            w.key("properties")
            w.beginObject()
            w.field("frame", frame)
            w.endObject()
        }
        w.endObject()
    }

    /// A path as a URI reference: relative paths stay relative, absolute ones become `file://`;
    /// everything but unreserved characters and `/` is percent-encoded.
    public static func uri(_ path: String) -> String {
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }
}
