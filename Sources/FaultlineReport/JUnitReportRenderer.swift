public import FaultlineCore

/// Renders a report as JUnit XML for CI systems that show test results: one
/// `<testsuite name="faultline">` with a `<testcase>` per hypothesis, failed
/// with its evidence, chain, fix and confirm commands; a success is one
/// passing test case. Every string is escaped for XML 1.0 (`XMLEscaping`).
public struct JUnitReportRenderer: ReportRendering {
    public var catalogue: ReportCatalogue

    public init(catalogue: ReportCatalogue = ReportCatalogue()) {
        self.catalogue = catalogue
    }

    public func render(_ report: Report) -> String {
        let x = XMLEscaping.escape
        var cases = ""
        var failures = 0
        if report.hypotheses.isEmpty {
            switch report.verdict {
            case .success:
                cases += "  <testcase classname=\"faultline\" name=\"build\"/>\n"
            case .failure:
                failures += 1
                cases += "  <testcase classname=\"faultline\" name=\"build\">\n"
                cases += "    <failure message=\"The build failed, but no known cause matched\" type=\"unknown\"/>\n  </testcase>\n"
            case .unknown:
                cases += "  <testcase classname=\"faultline\" name=\"build\">\n    <skipped message=\"Nothing to conclude: no input was recognised\"/>\n  </testcase>\n"
            }
        }
        for (rank, hypothesis) in report.hypotheses.enumerated() {
            failures += 1
            let name = "\(rank + 1). \(hypothesis.cause): \(InertText.clipped(hypothesis.title, to: 300))"
            cases += "  <testcase classname=\"faultline.\(x(hypothesis.layer.rawValue))\" name=\"\(x(name))\">\n"
            let kind = catalogue.isSymptom(hypothesis.cause) ? "symptom" : "root-cause"
            cases += "    <failure message=\"\(x(InertText.clipped(hypothesis.title, to: 300)))\" type=\"\(x(hypothesis.cause))\">"
            var body = ["\(kind) \(hypothesis.cause), layer \(hypothesis.layer.rawValue), confidence \(hypothesis.confidence)"]
            if !hypothesis.explains.isEmpty { body.append("chain: " + ([hypothesis.cause] + hypothesis.explains).joined(separator: " → ")) }
            body.append("evidence:")
            body += hypothesis.evidence.map { "  " + InertText.visible("\($0.place)  \($0.text)") }
            if !hypothesis.against.isEmpty {
                body.append("against:")
                body += hypothesis.against.map { "  " + InertText.visible("\($0.place)  \($0.text)") }
            }
            if !hypothesis.remediation.isEmpty {
                body.append("fix:")
                body += hypothesis.remediation.map { "  - " + InertText.visible($0) }
            }
            if !hypothesis.verify.isEmpty {
                body.append("confirm:")
                body += hypothesis.verify.map { "  $ " + InertText.visible($0) }
            }
            // Lines were made visible one by one; the newlines joining them are the renderer's own.
            cases += body.map(x).joined(separator: "\n") + "</failure>\n  </testcase>\n"
        }
        let tests = max(1, report.hypotheses.count)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuite name=\"faultline\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(report.hypotheses.isEmpty && report.verdict == .unknown ? 1 : 0)\">\n"
        out += "  <properties>\n    <property name=\"verdict\" value=\"\(report.verdict.rawValue)\"/>\n"
        out += "    <property name=\"pipeline\" value=\"\(x(report.pipeline))\"/>\n  </properties>\n"
        out += cases
        out += "</testsuite>\n"
        return out
    }
}
