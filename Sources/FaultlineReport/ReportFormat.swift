public import FaultlineCore

/// The report formats every command can offer, and the renderer for each:
/// `text` for a terminal, `json` (`faultline.report/1`), a self-contained
/// `html` page with a timeline, `markdown` for a pull request or ticket,
/// `github` workflow commands, `sarif` 2.1.0 and `junit` XML.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, html, markdown, github, sarif, junit

    /// Whether the format draws the timeline, so the analysis must keep it (`Analyzer.includeTimeline`).
    public var needsTimeline: Bool { self == .html }

    /// The renderer of this format.
    ///
    /// - Parameters:
    ///   - colour: colour in the text report.
    ///   - includeTimeline: list every aligned event (text and JSON; HTML always draws the timeline it is given).
    ///   - catalogue: cause titles and which causes are symptoms (SARIF rules, GitHub and SARIF levels).
    public func renderer(colour: Bool = false, includeTimeline: Bool = false,
                         catalogue: ReportCatalogue = ReportCatalogue()) -> any ReportRendering {
        switch self {
        case .text: TextReportRenderer(colour: colour, includeTimeline: includeTimeline)
        case .json: JSONReportRenderer(pretty: true, includeTimeline: includeTimeline)
        case .html: HTMLReportRenderer()
        case .markdown: MarkdownReportRenderer()
        case .github: GitHubReportRenderer(catalogue: catalogue)
        case .sarif: SARIFReportRenderer(catalogue: catalogue)
        case .junit: JUnitReportRenderer(catalogue: catalogue)
        }
    }
}
