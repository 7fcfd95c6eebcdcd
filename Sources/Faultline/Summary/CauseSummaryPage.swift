import FaultlineReport

/// `faultline summary --format html`: one self-contained page (inline CSS and
/// SVG, no script, nothing fetched) over a whole batch: the verdict counts,
/// causes over time drawn by `CauseChart`, the tables of the text summary, and
/// the cases with a cause, each linked to its own report when `batch
/// --reports DIR` wrote one. Everything that came from an input (keys,
/// causes, subjects, paths) is escaped (`HTMLEscaping`); a report path is a
/// link only when it is a plain relative or absolute file path.
public struct CauseSummaryPage: Sendable {
    public var chart = CauseChart()

    public init() {}

    static let style = """
    .chart{margin:8px 0}.chart .bar rect{stroke:#fff;stroke-width:.5}
    td.n,th.n{text-align:right}
    """

    public func render(_ s: CauseSummary) -> String {
        let h = HTMLEscaping.escape
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"faultline\">\n"
        out += "<title>Faultline summary: \(s.cases) cases</title>\n<style>\n\(HTMLReportRenderer.style)\n\(Self.style)\n</style>\n</head>\n<body>\n<main>\n"
        out += "<h1>Faultline summary</h1>\n<p>\(s.cases) cases: "
        out += s.verdicts.map { "<span class=\"verdict \(Self.verdictClass($0.name))\">\($0.count) \(h($0.name))</span>" }.joined(separator: " ")
        out += "</p>\n"
        if !s.days.isEmpty {
            out += "<h2>Causes \(s.period == .week ? "by week" : "by day")</h2>\n"
            out += chart.render(s)
            out += "<p class=\"legend\">" + chart.legend(s).map { entry in
                "<span><i style=\"background:\(entry.colour)\"></i>\(h(entry.cause))</span>"
            }.joined() + "</p>\n"
        }
        func table(_ title: String, _ header: String, _ rows: [CauseSummary.Count]) {
            guard !rows.isEmpty else { return }
            out += "<h2>\(h(title))</h2>\n<table><tr><th>\(h(header))</th><th class=\"n\">cases</th></tr>\n"
            for row in rows { out += "<tr><td><code>\(h(row.name))</code></td><td class=\"n\">\(row.count)</td></tr>\n" }
            out += "</table>\n"
        }
        table("Causes", "cause", s.causes)
        table("Layers", "layer", s.layers)
        for kind in CauseSummary.subjectKinds {
            if let rows = s.subjects[kind] { table("Top " + CauseSummaryRenderer.plural(kind), kind, rows) }
        }
        if let changes = s.changes {
            out += "<h2>New top causes since the older run: \(changes.count)</h2>\n"
            if !changes.isEmpty {
                out += "<table><tr><th>case</th><th>cause</th><th>before</th></tr>\n"
                for change in changes {
                    out += "<tr><td><code>\(h(change.key))</code></td><td><code>\(h(change.cause))</code></td>"
                    out += "<td>\(change.previous.map { "<code>\(h($0))</code>" } ?? "<span class=\"muted\">not in the older run</span>")</td></tr>\n"
                }
                out += "</table>\n"
            }
        }
        if !s.failing.isEmpty {
            out += "<h2>Cases with a cause</h2>\n"
            if s.failingCount > s.failing.count {
                out += "<p class=\"muted\">The first \(s.failing.count) of \(s.failingCount), in key order.</p>\n"
            }
            out += "<table><tr><th>case</th><th>cause</th><th>day</th><th>report</th></tr>\n"
            for record in s.failing {
                out += "<tr><td><code>\(h(record.key))</code></td><td><code>\(h(record.cause))</code></td>"
                out += "<td>\(h(record.day ?? "undated"))</td><td>"
                if let file = record.reportFile {
                    out += Self.isPlainPath(file) ? "<a href=\"\(h(file))\">\(h(file))</a>" : "<code>\(h(file))</code>"
                }
                out += "</td></tr>\n"
            }
            out += "</table>\n"
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// The CSS class of a verdict's badge (only the three verdicts get one).
    static func verdictClass(_ verdict: String) -> String {
        ["failure", "success", "unknown"].contains(verdict) ? verdict : "unknown"
    }

    /// A path made of letters, digits and `._/-` only, with no scheme: safe as a link, never `javascript:`.
    static func isPlainPath(_ path: String) -> Bool {
        !path.isEmpty && path.unicodeScalars.allSatisfy { CaseReportFolder.isPlain($0, also: "._/-") }
    }
}
