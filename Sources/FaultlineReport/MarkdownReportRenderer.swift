public import FaultlineCore

/// Renders a report as Markdown for a pull-request comment, a ticket or a
/// job summary: the verdict, each hypothesis with its chain, evidence as
/// quoted lines in code blocks, counter-evidence, fix and confirm commands.
///
/// Everything from an input is escaped (`MarkdownEscaping`), and the output
/// stays under `limit` bytes (64 KiB) whatever the input: what does not fit
/// is cut, and the report says what.
public struct MarkdownReportRenderer: ReportRendering {
    /// The largest output in UTF-8 bytes.
    public var limit: Int
    /// Evidence lines shown per hypothesis.
    public var evidencePerHypothesis = 20

    public init(limit: Int = 64 * 1024 - 512) {
        self.limit = limit
    }

    public func render(_ report: Report) -> String {
        let e = MarkdownEscaping.inline
        var head = "## Faultline: \(e(headline(report)))\n\n"
        head += "**Verdict:** \(report.verdict.rawValue) · **pipeline:** \(e(report.pipeline))\n\n"
        let inputs = report.inputs.prefix(30)
        for input in inputs {
            var facts = [input.format, "\(input.events) events", "clock \(input.clock.rawValue)"]
            if let lines = input.lines { facts.insert("\(lines) lines", at: 1) }
            if let frames = input.frames { facts.insert("\(frames) frames", at: 1) }
            head += "- \(e(InertText.clipped(input.path, to: 300))) — \(e(facts.joined(separator: ", ")))\n"
        }
        if report.inputs.count > inputs.count { head += "- … and \(report.inputs.count - inputs.count) more inputs\n" }
        for alignment in report.alignment.prefix(10) {
            head += "- clock: \(e(path(alignment.input, report))) on \(e(path(alignment.reference, report)))'s clock"
            if let offset = alignment.offsetSeconds {
                head += ", offset \(e(seconds(offset))) s"
                if let b = alignment.bounds { head += " \\(evidence allows \(e(seconds(b.lowerBound)))…\(e(seconds(b.upperBound))) s\\)" }
            } else if let placed = alignment.placedAt {
                head += ", no clock of its own: placed at \(e(Timestamp.formatRFC3339(placed)))"
            }
            head += "\n"
        }
        head += "\n"
        if report.hypotheses.isEmpty { head += report.verdict.sentenceWithoutHypotheses + "\n" }

        var out = InertText.clipped(head, to: limit / 4)
        var cutHypotheses = 0
        for (rank, hypothesis) in report.hypotheses.enumerated() {
            if cutHypotheses > 0 { cutHypotheses += 1; continue }
            let full = section(rank: rank, hypothesis, evidence: evidencePerHypothesis)
            if out.utf8.count + full.utf8.count + 400 <= limit {
                out += full
                continue
            }
            let short = section(rank: rank, hypothesis, evidence: 3)
            if out.utf8.count + short.utf8.count + 400 <= limit {
                out += short
            } else {
                cutHypotheses = 1
            }
        }
        if let aside = report.alsoSeen, cutHypotheses == 0 {
            var block = "### Also seen\n\n\(e(InertText.clipped(aside.text, to: 2000)))\n\n"
            for finding in aside.findings.prefix(10) { block += "- \(e(finding.cause)) — \(e(InertText.clipped(finding.title, to: 300)))\n" }
            if out.utf8.count + block.utf8.count + 400 <= limit { out += block + "\n" }
        }
        let problems = report.diagnostics.filter { $0.code != "input.unsupported" }
        var shownProblems = 0
        if !problems.isEmpty, cutHypotheses == 0 {
            var block = "### Input problems\n\n"
            for diagnostic in problems.prefix(20) {
                let line = "- \(e(InertText.clipped(diagnostic.description, to: 300)))\n"
                if out.utf8.count + block.utf8.count + line.utf8.count + 400 > limit { break }
                block += line
                shownProblems += 1
            }
            out += block + "\n"
        }
        var cuts: [String] = []
        if cutHypotheses > 0 { cuts.append("\(cutHypotheses) of \(report.hypotheses.count) hypotheses") }
        if problems.count > shownProblems { cuts.append("\(problems.count - shownProblems) input problems") }
        if !cuts.isEmpty {
            out += "_Cut to stay under 64 KiB: \(cuts.joined(separator: " and ")) not shown; `--format json` has everything._\n"
        }
        return out
    }

    private func headline(_ report: Report) -> String {
        guard let top = report.hypotheses.first else {
            switch report.verdict {
            case .failure: return "build failed, cause unknown"
            case .success: return "nothing failed"
            case .unknown: return "nothing to conclude"
            }
        }
        return "\(top.cause) — \(InertText.clipped(top.title, to: 200))"
    }

    private func section(rank: Int, _ hypothesis: Hypothesis, evidence limit: Int) -> String {
        let e = MarkdownEscaping.inline
        var out = "### \(rank + 1)\\. \(e(hypothesis.cause)) — \(e(InertText.clipped(hypothesis.title, to: 300)))\n\n"
        out += "Confidence \(seconds(hypothesis.confidence)) · layer \(e(hypothesis.layer.rawValue))"
        if !hypothesis.explains.isEmpty {
            out += " · chain: " + ([hypothesis.cause] + hypothesis.explains).map(e).joined(separator: " → ")
        }
        out += "\n\n"
        if !hypothesis.subjects.isEmpty {
            let pairs = hypothesis.subjects.sortedKeys.prefix(12).map {
                "\(e($0))\\=\(e(InertText.clipped(hypothesis.subjects[$0] ?? "", to: 200)))"
            }
            out += "Subjects: " + pairs.joined(separator: " · ") + "\n\n"
        }
        out += quoted("Evidence", hypothesis.evidence, limit: limit)
        out += quoted("Against", hypothesis.against, limit: min(limit, 5))
        if !hypothesis.remediation.isEmpty {
            out += "**Fix**\n\n"
            for line in hypothesis.remediation.prefix(10) { out += "- \(e(InertText.clipped(line, to: 500)))\n" }
            out += "\n"
        }
        if !hypothesis.verify.isEmpty {
            out += "**Confirm**\n\n" + MarkdownEscaping.codeBlock(hypothesis.verify.prefix(10).map { InertText.clipped($0, to: 500) }, info: "sh") + "\n"
        }
        return out
    }

    private func quoted(_ heading: String, _ evidence: [Evidence], limit: Int) -> String {
        guard !evidence.isEmpty else { return "" }
        var lines = evidence.prefix(limit).map { InertText.clipped("\($0.place)  \($0.text)", to: 400) }
        if evidence.count > limit { lines.append("… \(evidence.count - limit) more") }
        return "**\(heading)**\n\n" + MarkdownEscaping.codeBlock(lines) + "\n"
    }

    private func path(_ index: Int, _ report: Report) -> String {
        report.inputs.indices.contains(index) ? report.inputs[index].path : "?"
    }

    private func seconds(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "?" }
        let hundredths = Int((abs(value) * 100).rounded())
        let fraction = hundredths % 100
        return (value < 0 ? "-" : "") + "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
