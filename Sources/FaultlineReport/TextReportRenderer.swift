public import FaultlineCore

/// Renders a report for a person at a terminal: the verdict, each hypothesis
/// with its evidence (as `input:line`), the fix and the command that confirms
/// it. Colour is used only when asked for (a TTY without `NO_COLOR`); every
/// byte that came from an input is made printable, so a log cannot send
/// escape sequences to the reader's terminal.
public struct TextReportRenderer: ReportRendering {
    public var colour: Bool
    public var includeTimeline: Bool

    public init(colour: Bool, includeTimeline: Bool = false) {
        self.colour = colour
        self.includeTimeline = includeTimeline
    }

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    public func render(_ report: Report) -> String {
        var out = ""
        let verdictColour = report.verdict == .failure ? "1;31" : report.verdict == .success ? "1;32" : "1;33"
        out += paint("verdict: \(report.verdict.rawValue)", verdictColour) + "\n"
        let skipped = Set(report.diagnostics.filter { $0.code == "input.unsupported" }.map(\.input))
        for input in report.inputs where !skipped.contains(input.path) {
            var facts: [String] = [input.format + (input.contains.isEmpty ? "" : " (\(input.contains.joined(separator: ", ")))")]
            if let lines = input.lines { facts.append("\(lines) lines") }
            if let frames = input.frames { facts.append("\(frames) frames") }
            facts.append("\(input.events) events")
            facts.append("clock: \(input.clock.rawValue)")
            out += "  \(Self.printable(input.path))  \(facts.joined(separator: ", "))\n"
        }
        let skippedInputs = report.inputs.filter { skipped.contains($0.path) }
        if !skippedInputs.isEmpty {
            out += "  skipped (not a format Faultline reads): " + skippedInputs.map { "\(Self.printable($0.path)) (\($0.format))" }.joined(separator: ", ") + "\n"
        }
        for alignment in report.alignment {
            let path = { (i: Int) in report.inputs.indices.contains(i) ? Self.printable(report.inputs[i].path) : "?" }
            var line = "  clock: \(path(alignment.input)) on \(path(alignment.reference))'s clock"
            if let offset = alignment.offsetSeconds {
                line += ", offset \(format2(offset)) s"
                if let bounds = alignment.bounds { line += " (evidence allows \(format2(bounds.lowerBound))…\(format2(bounds.upperBound)))" }
            } else if let placed = alignment.placedAt {
                line += ", no clock of its own: placed at \(Timestamp.formatRFC3339(placed))"
            }
            out += line + "  [\(Self.printable(alignment.basis))]\n"
        }
        if report.hypotheses.isEmpty { out += "\n" + report.verdict.sentenceWithoutHypotheses + "\n" }
        for (rank, hypothesis) in report.hypotheses.enumerated() {
            out += "\n"
            out += paint("\(rank + 1). \(hypothesis.cause)", "1") + "  \(hypothesis.layer.rawValue)  "
            out += paint(String(format2(hypothesis.confidence)), "36") + "\n"
            out += "   \(Self.printable(hypothesis.title))\n"
            if !hypothesis.subjects.isEmpty {
                let pairs = hypothesis.subjects.sortedKeys.map { "\($0)=\(Self.printable(hypothesis.subjects[$0] ?? ""))" }
                out += "   " + paint("subjects:", "2") + " " + pairs.joined(separator: "  ") + "\n"
            }
            out += "   " + paint("evidence:", "2") + "\n"
            for evidence in hypothesis.evidence {
                var place = Self.printable(evidence.input)
                if let line = evidence.line { place += ":\(line)" }
                if let frame = evidence.frame { place += " frame \(frame)" }
                var when = ""
                if evidence.time.clock == .absolute, let seconds = evidence.time.seconds {
                    // The time of day is enough to read evidence side by side.
                    when = String(Timestamp.formatRFC3339(seconds).dropFirst(11).dropLast()) + "  "
                }
                out += "     \(when)\(paint(place, "33"))  \(Self.printable(String(evidence.text.prefix(240))))\n"
            }
            if !hypothesis.explains.isEmpty {
                out += "   " + paint("chain:", "2") + " " + ([hypothesis.cause] + hypothesis.explains).joined(separator: " → ") + "\n"
            }
            for evidence in hypothesis.against {
                var place = Self.printable(evidence.input)
                if let frame = evidence.frame { place += " frame \(frame)" }
                out += "   " + paint("against:", "2") + " \(place)  \(Self.printable(evidence.text))\n"
            }
            if !hypothesis.remediation.isEmpty {
                out += "   " + paint("fix:", "2") + "\n"
                for line in hypothesis.remediation { out += "     - \(Self.printable(line))\n" }
            }
            if !hypothesis.verify.isEmpty {
                out += "   " + paint("confirm:", "2") + "\n"
                for line in hypothesis.verify { out += "     $ \(Self.printable(line))\n" }
            }
        }
        if let aside = report.alsoSeen {
            out += "\n" + paint("also seen:", "1") + " " + Self.printable(aside.text) + "\n"
            for finding in aside.findings {
                out += "  - \(finding.cause): \(Self.printable(finding.title))"
                if let first = finding.evidence.first {
                    var place = Self.printable(first.input)
                    if let line = first.line { place += ":\(line)" }
                    if let frame = first.frame { place += " frame \(frame)" }
                    out += "  [\(place)]"
                }
                out += "\n"
            }
        }
        let problems = report.diagnostics.filter { $0.code != "input.unsupported" }
        if !problems.isEmpty {
            out += "\n" + paint("input problems:", "1;33") + "\n"
            for diagnostic in problems { out += "  \(Self.printable(diagnostic.description))\n" }
        }
        if includeTimeline {
            out += "\n" + paint("timeline:", "1") + "\n"
            for event in report.timeline {
                let input = report.inputs.indices.contains(event.location.input) ? report.inputs[event.location.input].path : "?"
                var when = "        "
                if let seconds = event.time.seconds {
                    when = event.time.clock == .relative ? "+\(format2(seconds))s" : Timestamp.formatRFC3339(seconds)
                }
                let tag = event.cause ?? event.kind.rawValue
                out += "  \(when)  \(Self.printable(input)):\(event.location.line ?? 0)  [\(tag)]  \(Self.printable(String(event.text.prefix(160))))\n"
            }
        }
        return out
    }

    private func format2(_ value: Double) -> String {
        guard value.isFinite else { return "?" }
        let hundredths = Int((abs(value) * 100).rounded())
        let fraction = hundredths % 100
        return (value < 0 ? "-" : "") + "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Makes text from an input safe to print: control characters (ESC among
    /// them) and C1 controls become visible `\u{…}` escapes.
    public static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if InertText.isInvisible(scalar.value) {
                out += scalar == "\t" ? "    " : "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
