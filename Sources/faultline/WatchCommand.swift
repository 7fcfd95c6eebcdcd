import ArgumentParser
import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// `faultline watch`: a build's output passed through, its cause named while it runs.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Pass a build's output through and name the cause of its failure while it runs.",
        discussion: """
        Reads standard input (or, with --follow, a file that is still being written), writes every \
        byte to standard output unchanged and as it arrives, and analyses the same bytes as \
        `faultline analyze` would. As soon as the evidence supports a hypothesis, a status goes to \
        standard error: the cause, what it is about, the line that shows it and the fix. It is \
        revised when better evidence arrives. On a terminal the status is one line kept at the \
        bottom; otherwise each status is a plain line, printed once. Lines without a time of their \
        own are timed by when they arrived.

        At the end of the input the full report goes to standard error, or to --report FILE \
        (--format text or json). Exit status 0 (1 when the output or the report could not be \
        written).

        Examples:
          go mod download 2>&1 | faultline watch
          docker build --progress=plain . 2>&1 | faultline watch
          npm ci 2>&1 | faultline watch --report report.json --format json
          go build ./... 2>&1 | faultline watch --stall 30s
          faultline watch --follow build.log
          faultline watch --follow build.log --until-idle 10s
        """
    )

    @Option(help: ArgumentHelp(
        "Follow a file being written, like tail -F: from its start, through rotation and truncation; end with Ctrl-C or --until-idle.",
        valueName: "file"))
    var follow: String?

    @Option(name: .customLong("until-idle"), help: ArgumentHelp(
        "End after no input for this long (10s), instead of at the end of input or Ctrl-C.", valueName: "duration"))
    var untilIdle: DurationArgument?

    @OptionGroup var live: LiveOptions

    func run() throws {
        let knowledge = try loadKnowledgeOrExit(pipeline: live.pipeline)
        signal(SIGPIPE, SIG_IGN)
        let name = follow ?? "-"
        let source: any LiveByteSource = follow.map { FollowedFile(path: $0) } ?? DescriptorSource(descriptor: 0, owns: false)
        let liveCase = LiveCase(knowledge: knowledge, inputs: [.stream(name)], localTimeZone: live.timeZone)
        let session = LiveSession(live: liveCase, feeds: [.init(source: source, input: 0, output: OutputSink(descriptor: 1))],
                                  board: StatusBoard(descriptor: 2, mode: live.status.mode), options: live.sessionOptions())
        session.options.untilIdle = untilIdle?.seconds
        // Ctrl-C (or a TERM) ends the watch with its report, as the end of input would: what the
        // interrupted build still writes is read for a moment first; a second one ends it at once.
        let signals = SignalDescriptor(signals: [SIGINT, SIGTERM])
        var interrupted = false
        if let signals {
            session.watch(descriptor: signals.descriptor) {
                while signals.next() != nil {
                    if interrupted { session.stop() }
                    interrupted = true
                    session.endStreamsAt = LiveClock.monotonic() + 0.3
                }
            }
        }
        let report = session.run()
        signals?.restore()
        let written = live.write(report)
        if session.writeError != nil || !written { throw ExitCode(1) }
    }
}
