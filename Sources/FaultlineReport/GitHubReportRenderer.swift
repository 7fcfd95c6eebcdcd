public import FaultlineCore

/// Renders a report as GitHub Actions workflow commands: `::error` at each
/// root cause's evidence lines, `::warning` at a symptom's, each with the
/// input as `file`, its `line` when known and the cause as `title`.
///
/// Every line of the output is a command this renderer wrote: input text is
/// made visible and percent-encoded (`WorkflowCommandEscaping`), so a log
/// line reading `::error::…` or carrying `%0A` starts nothing. The Markdown
/// report for `$GITHUB_STEP_SUMMARY` is `MarkdownReportRenderer`'s.
public struct GitHubReportRenderer: ReportRendering {
    public var catalogue: ReportCatalogue
    /// Annotations per hypothesis (GitHub shows ten per step and kind).
    public var perHypothesis = 5

    public init(catalogue: ReportCatalogue = ReportCatalogue()) {
        self.catalogue = catalogue
    }

    public func render(_ report: Report) -> String {
        var out = ""
        if report.hypotheses.isEmpty {
            switch report.verdict {
            case .failure: out += command("error", properties: [("title", "faultline")], message: "The build failed, but no known cause matched.")
            case .success: out += command("notice", properties: [("title", "faultline")], message: "Nothing failed.")
            case .unknown: out += command("notice", properties: [("title", "faultline")], message: "Nothing to conclude: no input was recognised.")
            }
        }
        for (rank, hypothesis) in report.hypotheses.prefix(20).enumerated() {
            let kind = catalogue.isSymptom(hypothesis.cause) ? "warning" : "error"
            let title = "\(rank + 1). \(hypothesis.cause): \(InertText.clipped(hypothesis.title, to: 200))"
            var message = [InertText.visible(InertText.clipped(hypothesis.title, to: 300))]
            if !hypothesis.explains.isEmpty { message.append("Chain: " + ([hypothesis.cause] + hypothesis.explains).joined(separator: " → ")) }
            if let fix = hypothesis.remediation.first { message.append("Fix: " + InertText.visible(InertText.clipped(fix, to: 300))) }
            if let confirm = hypothesis.verify.first { message.append("Confirm: " + InertText.visible(InertText.clipped(confirm, to: 300))) }
            let evidence = hypothesis.evidence.prefix(perHypothesis)
            if evidence.isEmpty {
                out += command(kind, properties: [("title", title)], message: message.joined(separator: "\n"))
            }
            for item in evidence {
                var properties = [("file", item.input)]
                if let line = item.line { properties.append(("line", String(line))) }
                properties.append(("title", title))
                let quoted = "Evidence (\(InertText.visible(item.place))): " + InertText.visible(InertText.clipped(item.text, to: 400))
                out += command(kind, properties: properties, message: (message + [quoted]).joined(separator: "\n"))
            }
        }
        return out
    }

    /// One workflow command line; `message` may hold the renderer's own newlines.
    private func command(_ name: String, properties: [(String, String)], message: String) -> String {
        let props = properties.map { "\($0.0)=\(WorkflowCommandEscaping.property($0.1))" }.joined(separator: ",")
        return "::\(name)\(props.isEmpty ? "" : " " + props)::\(WorkflowCommandEscaping.data(message))\n"
    }
}
