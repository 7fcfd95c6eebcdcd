import ArgumentParser
import Faultline
import FaultlineCapture
#if canImport(Glibc)
import Glibc
#endif

/// `faultline analyze INPUT…`: one case, every input correlated together.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse the logs and captures of one failure and name its root cause.",
        discussion: """
        Each INPUT is a file, a folder (read recursively), a gzip-compressed file or `-` for \
        standard input. Formats are detected from the content, not the name: Go build output, \
        Docker BuildKit (`--progress=plain`) and legacy builder logs, GitHub Actions, GitLab, Travis, \
        Jenkins, CircleCI, Buildkite and Azure Pipelines logs, test runners' (go test, mocha, jest, \
        vitest, TAP, karma, jasmine), linters' and compilers' (eslint, golangci-lint, tsc…) output, npm \
        terminal output and debug logs, yarn 1 output and yarn-error.log, JVM thread dumps \
        (jstack, jcmd, kill -3 — also deep inside a service's own log —, Thread.dump_to_file JSON), \
        pcap and pcapng captures of DNS (from a file, `.gz` or standard input). All inputs are one case: their \
        events share one timeline, and a log's clock is aligned to a capture's from the hosts they share.

        `-` alone on a pipe, with standard error a terminal (`tcpdump -U -w - port 53 | faultline \
        analyze -`), is read as `faultline watch` reads it, without passing it through: a capture is \
        decoded as it arrives and a status line names the cause as soon as the evidence supports it; \
        lines without a time of their own are timed by their arrival. --quiet reads it to its end first.

        The text report lists hypotheses best first, each with the lines that show it \
        (`file:line`), what it explains, the fix and the command that confirms it. \
        `--format json` prints the `faultline.report/1` document; `html` a self-contained page with \
        a timeline of every input; `markdown` a pull-request comment; `github` workflow commands \
        (annotations at the evidence lines, and the Markdown report appended to $GITHUB_STEP_SUMMARY \
        when it is set); `sarif` (2.1.0) and `junit` for CI systems that read those.

        Exit status: 0 the analysis ran (whatever it found); 1 with --exit-code or --fail-on, \
        the threshold was reached; 2 bad usage; 3 an input could not be read (the others were \
        analysed; this wins over 1); 4 the pipeline or rule packs are invalid.
        """
    )

    @Argument(help: ArgumentHelp("Log files, captures, folders, .gz files, or - for standard input.", valueName: "input"))
    var inputs: [String]

    @Option(help: "Output format: text for people, json for programs, or html, markdown, github, sarif, junit.")
    var format: ReportFormat = .text

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @OptionGroup var failOn: FailOnOptions

    @Flag(help: "Include every aligned event in the report (the timeline).")
    var timeline = false

    @Option(name: .customLong("color"), help: "Colour in the text report: auto (a terminal without NO_COLOR), always, never.")
    var colour: ColourChoice = .auto

    @Flag(help: "Do not show progress on standard error, even on a terminal.")
    var quiet = false

    @Option(name: .customLong("tz"), help: ArgumentHelp(
        "The zone of local timestamps that carry none (a thread dump's header line): UTC, +02:00 or Europe/Berlin.",
        valueName: "zone"))
    var timeZone = "UTC"

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one input: a file, a folder, or - for standard input") }
        if inputs.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be named only once") }
        if !Analyzer.isValidTimeZone(timeZone) {
            throw ValidationError("unknown time zone '\(timeZone)': use UTC, an offset such as +02:00, or a name such as Europe/Berlin")
        }
    }

    func run() throws {
        Interrupts.install(message: "faultline analyze: interrupted; no report was written")
        // One report, then the process exits: what the analysis held is left to the exit, not freed first.
        RetiredValues.leftToExit = true
        let knowledge = try knowledgeOptions.load()
        var analyzer = Analyzer(knowledge: knowledge)
        analyzer.includeTimeline = timeline || format.needsTimeline
        analyzer.localTimeZone = timeZone
        let report: Report
        if inputs == ["-"], !quiet, Terminal.isTTY(2), !Self.standardInputIsFile() {
            report = Self.analyzeLive(knowledge: knowledge, timeZone: timeZone, includeTimeline: analyzer.includeTimeline)
        } else {
            let meter = ProgressMeter(enabled: !quiet && Terminal.isTTY(2))
            report = analyzer.analyze(paths: inputs) { meter.update($0) }
            meter.clear()
        }
        let catalogue = ReportCatalogue(knowledge)
        let colours = format == .text && Terminal.wantsColour(colour)
        writeStdout(format.renderer(colour: colours, includeTimeline: timeline, catalogue: catalogue).render(report))
        if format == .github { StepSummary.append(MarkdownReportRenderer().render(report)) }
        if report.inputs.contains(where: \.failed) { throw ExitCode(3) }
        if failOn.fails(report) { throw ExitCode(1) }
    }

    /// Whether standard input is a regular file (`< build.log`), read to its end at once, rather than a pipe
    /// or a terminal whose bytes arrive as they are written.
    static func standardInputIsFile() -> Bool {
        var info = stat()
        return fstat(0, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// `analyze -` on a pipe, watched from a terminal: read as `faultline watch` reads it (a capture streamed
    /// in decoded live, statuses on standard error as the evidence arrives), without passing it through.
    static func analyzeLive(knowledge: KnowledgeBase, timeZone: String, includeTimeline: Bool) -> Report {
        var live = LiveCase(knowledge: knowledge, inputs: [.stream("-")], localTimeZone: timeZone)
        live.includeTimeline = includeTimeline
        let session = LiveSession(live: live, feeds: [
            .init(source: DescriptorSource(descriptor: 0, owns: false), input: 0, output: nil),
        ], board: StatusBoard(descriptor: 2), options: LiveSession.Options())
        return session.run()
    }
}
