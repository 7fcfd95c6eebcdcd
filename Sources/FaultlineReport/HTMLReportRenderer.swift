public import FaultlineCore

/// Renders a report as one self-contained HTML page: inline CSS and SVG, no
/// font, image or script fetched from anywhere (a Content-Security-Policy
/// says so), readable offline and with scripts off.
///
/// At the top, the verdict and the ranked hypotheses, each with its causal
/// chain, evidence, counter-evidence, fix and confirm commands; below, the
/// timeline (`TimelinePicture`) with a lane per input. Choosing a hypothesis
/// (a radio button, so it works without scripts) highlights its evidence in
/// the timeline; hovering a mark shows its original text, and a small inline
/// script shows it in a panel on click. Every string from an input is
/// escaped (`HTMLEscaping`).
public struct HTMLReportRenderer: ReportRendering {
    public var timeline: TimelinePicture
    /// Hypotheses whose evidence can be highlighted (one CSS rule each).
    public var selectable = 50
    /// Evidence lines listed per hypothesis.
    public var evidencePerHypothesis = 50

    public init(timeline: TimelinePicture = TimelinePicture()) {
        self.timeline = timeline
    }

    static let script = """
    document.documentElement.setAttribute('data-js','on');document.addEventListener('click',function(e){var m=e.target.closest?e.target.closest('.m'):null;if(!m)return;\
    var t=m.querySelector('title'),d=document.getElementById('detail');if(t&&d){d.textContent=t.textContent;}});
    """

    /// The page's CSS, shared with the other pages Faultline draws (`faultline summary --format html`).
    public static let style = """
    body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1f2328;background:#fff}
    main{max-width:1180px;margin:0 auto;padding:16px 20px 40px}
    h1{font-size:22px;margin:4px 0 6px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
    h3{font-size:15px;margin:0 0 4px}
    .verdict{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600}
    .verdict.failure{background:#cf222e}.verdict.success{background:#1a7f37}.verdict.unknown{background:#9a6700}
    .muted{color:#656d76}code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
    pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:4px 0}
    .hypothesis{border:1px solid #d0d7de;border-left:5px solid #cf222e;border-radius:6px;padding:10px 14px;margin:10px 0}
    .hypothesis.symptom{border-left-color:#bf8700}
    .conf{display:inline-block;width:80px;height:8px;background:#eaeef2;border-radius:4px;vertical-align:middle;margin:0 6px}
    .conf span{display:block;height:8px;background:#0969da;border-radius:4px}
    .chain code{background:#ddf4ff;padding:1px 5px;border-radius:4px}
    dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}dl.kv dt{color:#656d76}dl.kv dd{margin:0}
    .label{font-weight:600;margin-top:8px}
    .pick{cursor:pointer;color:#0969da;font-size:12.5px;margin-left:8px}
    .sel{position:absolute;left:-9999px}
    table{border-collapse:collapse}td,th{border-bottom:1px solid #eaeef2;padding:3px 10px 3px 0;text-align:left;vertical-align:top}
    svg{display:block;max-width:100%;height:auto;background:#fff;border:1px solid #d0d7de;border-radius:6px}
    .axis line{stroke:#d8dee4;stroke-dasharray:2 3}.axis text{font-size:11px;fill:#656d76}
    .lane-bg{fill:#fff}.lane:nth-of-type(odd) .lane-bg{fill:#f6f8fa}
    .lane-label{font-size:12.5px;font-weight:600;fill:#1f2328}.lane-note{font-size:11px;fill:#656d76}
    .m{cursor:pointer}.m rect,.m circle,.m path{fill:#8c959f;stroke:#fff;stroke-width:1}
    .m.err rect,.m.err path{fill:#cf222e}.m.warn rect{fill:#bf8700}
    .m.dns circle{fill:#54aeff}.m.dns.err circle{fill:#fff;stroke:#cf222e;stroke-width:2}
    .m.dump path{fill:#8250df}.m.still line{stroke:#8250df;stroke-width:4;opacity:.35}.m.still text{font-size:10.5px;fill:#8250df}
    .m.step rect{fill:#d0d7de}.m.step.failed rect{fill:#ffb3b8;stroke:#cf222e}
    .m.bin rect{fill:#8c959f;stroke:none}.m.bin.err rect{fill:#cf222e}
    .m.offset line{stroke:#8250df;stroke-width:2}.m.offset.placed line{stroke-dasharray:4 3}
    .m:hover rect,.m:hover circle,.m:hover path,.m:focus rect,.m:focus circle,.m:focus path{stroke:#0969da;stroke-width:2}
    #detail{min-height:2.8em}
    .legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
    """

    public func render(_ report: Report) -> String {
        let h = HTMLEscaping.escape
        let selectable = report.hypotheses.count > 0 ? min(selectable, report.hypotheses.count) : 0
        // Which hypotheses each piece of evidence supports (by input and line or frame).
        var owners: [String: [Int]] = [:]
        for (rank, hypothesis) in report.hypotheses.prefix(selectable).enumerated() {
            for evidence in hypothesis.evidence {
                let key = TimelinePicture.key(evidence.input, line: evidence.line, frame: evidence.frame)
                if owners[key]?.last != rank + 1 { owners[key, default: []].append(rank + 1) }
            }
        }
        let headline: String
        if let top = report.hypotheses.first {
            headline = "\(top.cause): \(InertText.clipped(top.title, to: 200))"
        } else {
            switch report.verdict {
            case .failure: headline = "The build failed, but no known cause matched"
            case .success: headline = "Nothing failed"
            case .unknown: headline = "Nothing to conclude"
            }
        }
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-\(SHA256.base64Digest(Self.script))'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"faultline\">\n"
        out += "<title>Faultline: \(report.verdict.rawValue) — \(h(headline))</title>\n"
        out += "<style>\n\(Self.style)\n"
        for rank in stride(from: 1, through: selectable, by: 1) {
            out += "#s\(rank):checked~main .h\(rank) rect,#s\(rank):checked~main .h\(rank) circle,#s\(rank):checked~main .h\(rank) path{stroke:#0969da;stroke-width:2}"
            out += "#s\(rank):checked~main #h\(rank){box-shadow:0 0 0 2px #0969da}#s\(rank):checked~main label[for=s\(rank)]{font-weight:600}\n"
        }
        out += "</style>\n</head>\n<body>\n"
        out += "<input type=\"radio\" name=\"sel\" id=\"s0\" class=\"sel\"\(selectable == 0 ? " checked" : "")>\n"
        for rank in stride(from: 1, through: selectable, by: 1) {
            out += "<input type=\"radio\" name=\"sel\" id=\"s\(rank)\" class=\"sel\"\(rank == 1 ? " checked" : "")>\n"
        }
        out += "<main>\n<header>\n<h1><span class=\"verdict \(report.verdict.rawValue)\">\(report.verdict.rawValue)</span> \(h(headline))</h1>\n"
        out += "<p class=\"muted\">Faultline report · pipeline <code>\(h(report.pipeline))</code> · \(report.inputs.count) input\(report.inputs.count == 1 ? "" : "s") · \(report.hypotheses.count) hypothes\(report.hypotheses.count == 1 ? "is" : "es")</p>\n</header>\n"

        out += "<section id=\"hypotheses\">\n<h2>Hypotheses, best first</h2>\n"
        if report.hypotheses.isEmpty { out += "<p>\(report.verdict.sentenceWithoutHypotheses)</p>\n" }
        for (rank, hypothesis) in report.hypotheses.enumerated() {
            out += article(hypothesis, rank: rank + 1, selectable: rank < selectable)
        }
        if let aside = report.alsoSeen {
            out += "<aside id=\"also-seen\">\n<h3>Also seen</h3>\n<p>\(h(aside.text))</p>\n<ul>\n"
            for finding in aside.findings.prefix(50) {
                out += "<li><code>\(h(finding.cause))</code> \(h(finding.title))"
                if let first = finding.evidence.first { out += " <span class=\"muted\">\(h(InertText.clipped(first.text, to: 300)))</span>" }
                out += "</li>\n"
            }
            out += "</ul>\n</aside>\n"
        }
        out += "</section>\n"

        out += "<section id=\"timeline\">\n<h2>Timeline</h2>\n"
        if report.alignment.isEmpty {
            out += "<p class=\"muted\">No clocks needed aligning.</p>\n"
        } else {
            out += "<ul class=\"clocks\">\n"
            for alignment in report.alignment.prefix(40) { out += "<li>\(clock(alignment, report))</li>\n" }
            out += "</ul>\n"
        }
        if report.timeline.isEmpty {
            out += "<p class=\"muted\">No timeline in this report (analyse with <code>--format html</code> or <code>--timeline</code>).</p>\n"
        } else {
            out += timeline.render(report, evidenceOwners: owners)
            out += "<p class=\"legend muted\"><span><i style=\"background:#d0d7de\"></i>build step</span><span><i style=\"background:#ffb3b8\"></i>failed step</span>"
            out += "<span><i style=\"background:#cf222e\"></i>error or finding</span><span><i style=\"background:#54aeff;border-radius:5px\"></i>DNS answered</span>"
            out += "<span><i style=\"border:2px solid #cf222e;border-radius:5px;width:7px;height:7px\"></i>DNS unanswered or failed</span>"
            out += "<span><i style=\"background:#8250df\"></i>thread dump / clock offset range</span><span><i style=\"background:#8250df;opacity:.35;height:4px\"></i>threads that did not move between dumps</span><span>selected hypothesis: blue outline</span></p>\n"
            out += "<p class=\"muted\">Hover a mark for its original text; click it to show the text here:</p>\n<pre id=\"detail\">(no mark chosen)</pre>\n"
        }
        out += "</section>\n"

        out += "<section id=\"inputs\">\n<h2>Inputs</h2>\n<table>\n<tr><th>input</th><th>format</th><th>events</th><th>clock</th><th>size</th></tr>\n"
        for input in report.inputs.prefix(500) {
            var size = "\(input.bytes) bytes"
            if let lines = input.lines { size += ", \(lines) lines" }
            if let frames = input.frames { size += ", \(frames) frames" }
            let format = input.format + (input.contains.isEmpty ? "" : " (" + input.contains.joined(separator: ", ") + ")")
            out += "<tr><td><code>\(h(input.path))</code></td><td>\(h(format))\(input.failed ? " — unreadable" : "")</td><td>\(input.events)</td><td>\(input.clock.rawValue)</td><td>\(size)</td></tr>\n"
        }
        out += "</table>\n"
        if report.inputs.count > 500 { out += "<p class=\"muted\">… and \(report.inputs.count - 500) more inputs.</p>\n" }
        if !report.diagnostics.isEmpty {
            out += "<h2>Input problems</h2>\n<ul>\n"
            for diagnostic in report.diagnostics.prefix(200) { out += "<li><code>\(h(InertText.clipped(diagnostic.description, to: 600)))</code></li>\n" }
            out += "</ul>\n"
        }
        out += "</section>\n</main>\n<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    private func article(_ hypothesis: Hypothesis, rank: Int, selectable: Bool) -> String {
        let h = HTMLEscaping.escape
        let symptom = hypothesis.cause == "build_step_failed"
        var out = "<article class=\"hypothesis\(symptom ? " symptom" : "")\" id=\"h\(rank)\" data-cause=\"\(h(hypothesis.cause))\">\n"
        let percent = Int((min(max(hypothesis.confidence, 0), 1) * 100).rounded())
        out += "<h3>\(rank). <code>\(h(hypothesis.cause))</code> <span class=\"muted\">\(h(hypothesis.layer.rawValue))</span>"
        out += "<span class=\"conf\" title=\"confidence \(percent)%\"><span style=\"width:\(percent)%\"></span></span><span class=\"muted\">\(percent)%</span>"
        if selectable { out += "<label class=\"pick\" for=\"s\(rank)\">show in timeline</label>" }
        out += "</h3>\n<p class=\"title\">\(h(hypothesis.title))</p>\n"
        if !hypothesis.explains.isEmpty {
            out += "<p class=\"chain\">Causal chain: " + ([hypothesis.cause] + hypothesis.explains).map { "<code>\(h($0))</code>" }.joined(separator: " → ") + "</p>\n"
        }
        if !hypothesis.subjects.isEmpty {
            out += "<dl class=\"kv\">"
            for key in hypothesis.subjects.sortedKeys.prefix(20) { out += "<dt>\(h(key))</dt><dd><code>\(h(hypothesis.subjects[key] ?? ""))</code></dd>" }
            out += "</dl>\n"
        }
        out += evidenceList("Evidence", hypothesis.evidence)
        out += evidenceList("Against", hypothesis.against)
        if !hypothesis.remediation.isEmpty {
            out += "<div class=\"label\">Fix</div>\n<ul>" + hypothesis.remediation.map { "<li>\(h($0))</li>" }.joined() + "</ul>\n"
        }
        if !hypothesis.verify.isEmpty {
            out += "<div class=\"label\">Confirm</div>\n<pre>" + hypothesis.verify.map { "$ " + h($0) }.joined(separator: "\n") + "</pre>\n"
        }
        return out + "</article>\n"
    }

    private func evidenceList(_ heading: String, _ evidence: [Evidence]) -> String {
        guard !evidence.isEmpty else { return "" }
        let h = HTMLEscaping.escape
        var lines: [String] = []
        for item in evidence.prefix(evidencePerHypothesis) {
            var when = ""
            if item.time.clock == .absolute, let t = item.time.seconds, t.isFinite {
                when = String(Timestamp.formatRFC3339(t).dropFirst(11).dropLast()) + "  "
            }
            lines.append("\(when)<b>\(h(item.place))</b>  \(h(InertText.clipped(item.text, to: 2000)))")
        }
        if evidence.count > evidencePerHypothesis { lines.append("… \(evidence.count - evidencePerHypothesis) more") }
        return "<div class=\"label\">\(heading)</div>\n<pre class=\"\(heading.lowercased())\">" + lines.joined(separator: "\n") + "</pre>\n"
    }

    private func clock(_ alignment: ClockAlignment, _ report: Report) -> String {
        let h = HTMLEscaping.escape
        func path(_ i: Int) -> String { report.inputs.indices.contains(i) ? report.inputs[i].path : "?" }
        var out = "<code>\(h(path(alignment.input)))</code> on <code>\(h(path(alignment.reference)))</code>'s clock"
        if let offset = alignment.offsetSeconds, offset.isFinite {
            out += ": offset \(offset.formattedMillis) s"
            if let b = alignment.bounds { out += " (the evidence allows \(b.lowerBound.formattedMillis) … \(b.upperBound.formattedMillis) s)" }
        } else if let placed = alignment.placedAt, placed.isFinite {
            out += ": no clock of its own, placed at \(Timestamp.formatRFC3339(placed))"
        }
        return out + " <span class=\"muted\">[\(h(alignment.basis))]</span>"
    }
}

extension Double {
    /// The value to the millisecond, or `?` when not finite.
    var formattedMillis: String { isFinite && abs(self) < 1e12 ? String(Double(Int((self * 1000).rounded())) / 1000) : "?" }
}
