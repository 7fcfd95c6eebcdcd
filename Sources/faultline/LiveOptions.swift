import ArgumentParser
import Faultline

/// A length of time on the command line: `30s`, `500ms`, `2m`, or plain seconds.
struct DurationArgument: ExpressibleByArgument {
    var seconds: Double

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let value = Double(argument.dropLast(suffix.count)), value >= 0 else { return nil }
            seconds = value * scale
            return
        }
        guard let value = Double(argument), value >= 0 else { return nil }
        seconds = value
    }
}

/// `--status auto|line|lines|none`: how live statuses are shown.
enum StatusChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, line, lines, none

    var mode: StatusBoard.Mode? {
        switch self {
        case .auto: nil
        case .line: .terminal
        case .lines: .lines
        case .none: .silent
        }
    }
}

/// What `watch` and `run` share: the report, the pipeline, statuses and the stall limit.
struct LiveOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the final report to this file instead of standard error.", valueName: "file"))
    var report: String?

    @Option(help: "Format of the final report: text for people, json for programs.")
    var format: ReportFormat = .text

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @OptionGroup var failOn: FailOnOptions

    @Option(help: ArgumentHelp(
        "Say so when no output arrives for this long while the input is open (30s, 2m).", valueName: "duration"))
    var stall: DurationArgument?

    @Option(help: "Statuses on standard error: auto (a line kept at the bottom of a terminal, else plain lines), line, lines, none.")
    var status: StatusChoice = .auto

    @Option(name: .customLong("color"), help: "Colour in the text report: auto, always, never.")
    var colour: ColourChoice = .auto

    @Option(name: .customLong("tz"), help: ArgumentHelp("The zone of local timestamps that carry none.", valueName: "zone"))
    var timeZone = "UTC"

    func validate() throws {
        if !Analyzer.isValidTimeZone(timeZone) {
            throw ValidationError("unknown time zone '\(timeZone)': use UTC, an offset such as +02:00, or a name such as Europe/Berlin")
        }
    }

    func sessionOptions() -> LiveSession.Options {
        var options = LiveSession.Options()
        options.stall = stall?.seconds
        return options
    }

    /// Writes the final report where asked: `--report FILE`, else standard error — except
    /// `--format github`, whose workflow commands go to standard output once the build's own
    /// output has ended there (and whose Markdown is appended to `$GITHUB_STEP_SUMMARY`).
    /// - Returns: false when it could not be written (said on standard error).
    func write(_ report: Report, knowledge: KnowledgeBase) -> Bool {
        let colour = self.report == nil && format == .text && Terminal.wantsColour(colour, descriptor: 2)
        let text = format.renderer(colour: colour, includeTimeline: false, catalogue: ReportCatalogue(knowledge)).render(report)
        if format == .github { StepSummary.append(MarkdownReportRenderer().render(report)) }
        guard let path = self.report else {
            if format == .github {
                writeStdout(text)
                return true
            }
            writeStderr(text)
            return true
        }
        if let error = writeFile(path, text) {
            printError("faultline: cannot write the report to \(path): \(error)")
            return false
        }
        return true
    }
}
