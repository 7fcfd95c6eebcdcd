import FaultlineReport

/// Renders a `CauseSummary` as text for people, Markdown for a pull request
/// or wiki page, a self-contained HTML page with causes over time drawn
/// (`CauseSummaryPage`), or JSON (`faultline.summary/1`) for programs.
public enum CauseSummaryRenderer {
    public static let formats = ["text", "markdown", "html", "json"]

    public static func render(_ summary: CauseSummary, format: String) -> String {
        switch format {
        case "json": return json(summary)
        case "html": return CauseSummaryPage().render(summary)
        case "markdown": return markdown(summary)
        default: return text(summary)
        }
    }

    static func plural(_ kind: String) -> String {
        switch kind {
        case "proxy": return "proxies"
        case "registry": return "registries"
        case "url": return "URLs"
        default: return kind + "s"
        }
    }

    static func text(_ s: CauseSummary) -> String {
        var out = "\(s.cases) cases: " + s.verdicts.map { "\($0.count) \($0.name)" }.joined(separator: ", ") + "\n"
        func table(_ title: String, _ rows: [CauseSummary.Count]) {
            guard !rows.isEmpty else { return }
            out += "\n\(title)\n"
            let width = rows.map(\.name.count).max() ?? 0
            for row in rows {
                out += "  " + row.name + String(repeating: " ", count: width - row.name.count) + "  \(row.count)\n"
            }
        }
        table("Causes", s.causes)
        table("Layers", s.layers)
        if !s.days.isEmpty {
            out += s.period == .week ? "\nBy week\n" : "\nBy day\n"
            for day in s.days {
                out += "  \(day.day)  \(day.cases)  " + day.causes.map { "\($0.name) \($0.count)" }.joined(separator: ", ") + "\n"
            }
        }
        for kind in CauseSummary.subjectKinds {
            if let rows = s.subjects[kind] { table("Top " + plural(kind), rows) }
        }
        if let changes = s.changes {
            out += "\nNew top causes since the older run: \(changes.count)\n"
            for change in changes {
                out += "  \(change.key)  \(change.cause)  (was \(change.previous ?? "not in the older run"))\n"
            }
        }
        return out
    }

    static func markdown(_ s: CauseSummary) -> String {
        var out = "## Faultline summary\n\n\(s.cases) cases: " + s.verdicts.map { "\($0.count) \($0.name)" }.joined(separator: ", ") + "\n"
        func cell(_ text: String) -> String {
            "`" + text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\n", with: " ") + "`"
        }
        func table(_ title: String, _ header: String, _ rows: [CauseSummary.Count]) {
            guard !rows.isEmpty else { return }
            out += "\n### \(title)\n\n| \(header) | cases |\n|---|---:|\n"
            for row in rows { out += "| \(cell(row.name)) | \(row.count) |\n" }
        }
        table("Causes", "cause", s.causes)
        table("Layers", "layer", s.layers)
        if !s.days.isEmpty {
            out += s.period == .week ? "\n### By week\n\n| week | cases | causes |\n|---|---:|---|\n"
                : "\n### By day\n\n| day | cases | causes |\n|---|---:|---|\n"
            for day in s.days {
                out += "| \(day.day) | \(day.cases) | " + day.causes.map { "\(cell($0.name)) \($0.count)" }.joined(separator: ", ") + " |\n"
            }
        }
        for kind in CauseSummary.subjectKinds {
            if let rows = s.subjects[kind] { table("Top " + plural(kind), kind, rows) }
        }
        if let changes = s.changes {
            out += "\n### New top causes since the older run\n\n"
            if changes.isEmpty { out += "None.\n" } else {
                out += "| case | cause | before |\n|---|---|---|\n"
                for change in changes {
                    out += "| \(cell(change.key)) | \(cell(change.cause)) | \(change.previous.map(cell) ?? "—") |\n"
                }
            }
        }
        return out
    }

    static func json(_ s: CauseSummary) -> String {
        func counts(_ rows: [CauseSummary.Count], _ name: String) -> String {
            "[" + rows.map { "{\"\(name)\":\(JSONEscaping.quote($0.name)),\"cases\":\($0.count)}" }.joined(separator: ",") + "]"
        }
        var out = "{\"schema\":\"faultline.summary/1\",\"cases\":\(s.cases)"
        out += ",\"verdicts\":" + counts(s.verdicts, "verdict")
        out += ",\"causes\":" + counts(s.causes, "cause")
        out += ",\"layers\":" + counts(s.layers, "layer")
        out += ",\"days\":[" + s.days.map { day in
            "{\"day\":\(JSONEscaping.quote(day.day)),\"cases\":\(day.cases),\"causes\":" + counts(day.causes, "cause") + "}"
        }.joined(separator: ",") + "]"
        out += ",\"subjects\":{" + CauseSummary.subjectKinds.compactMap { kind in
            s.subjects[kind].map { JSONEscaping.quote(kind) + ":" + counts($0, "value") }
        }.joined(separator: ",") + "}"
        if let changes = s.changes {
            out += ",\"new_causes\":[" + changes.map { change in
                "{\"case\":\(JSONEscaping.quote(change.key)),\"cause\":\(JSONEscaping.quote(change.cause)),\"previous\":"
                    + (change.previous.map(JSONEscaping.quote) ?? "null") + "}"
            }.joined(separator: ",") + "]"
        }
        return out + "}\n"
    }
}
