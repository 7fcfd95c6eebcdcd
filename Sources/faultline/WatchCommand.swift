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

        With --capture FILE, a capture of the same run (`tcpdump -U -w FILE` beside the build) is \
        read when the input ends and correlated with it: the lines are timed by their arrival, so \
        they and the frames share one timeline.

        At the end of the input the full report goes to standard error, or to --report FILE \
        (--format text, json, html, markdown, github, sarif or junit; github's annotations go to \
        standard output after the build's own output). Exit status 0 (1 when the output or the \
        report could not be written, or with --exit-code or --fail-on when the threshold was reached).

        Examples:
          go mod download 2>&1 | faultline watch
          docker build --progress=plain . 2>&1 | faultline watch
          npm ci 2>&1 | faultline watch --report report.json --format json
          go build ./... 2>&1 | faultline watch --stall 30s
          faultline watch --follow build.log
          faultline watch --follow build.log --until-idle 10s
          go mod download 2>&1 | faultline watch --capture dns.pcap   # tcpdump -U -w dns.pcap port 53 ran beside it
        """
    )

    @Option(help: ArgumentHelp(
        "Follow a file being written, like tail -F: from its start, through rotation and truncation; end with Ctrl-C or --until-idle.",
        valueName: "file"))
    var follow: String?

    @Option(name: .customLong("until-idle"), help: ArgumentHelp(
        "End after no input for this long (10s), instead of at the end of input or Ctrl-C.", valueName: "duration"))
    var untilIdle: DurationArgument?

    @Option(help: ArgumentHelp(
        "A capture of the same run (tcpdump -U -w FILE beside the build), read when the input ends and correlated with it.",
        valueName: "file"))
    var capture: String?

    @OptionGroup var live: LiveOptions

    func run() throws {
        let knowledge = try live.knowledgeOptions.load()
        signal(SIGPIPE, SIG_IGN)
        let name = follow ?? "-"
        let source: any LiveByteSource = follow.map { FollowedFile(path: $0) } ?? DescriptorSource(descriptor: 0, owns: false)
        let inputs: [LiveCase.Input] = [.stream(name)] + (capture.map { [.events($0)] } ?? [])
        var liveCase = LiveCase(knowledge: knowledge, inputs: inputs, localTimeZone: live.timeZone)
        liveCase.includeTimeline = live.format.needsTimeline
        let session = LiveSession(live: liveCase, feeds: [.init(source: source, input: 0, output: OutputSink(descriptor: 1))],
                                  board: StatusBoard(descriptor: 2, mode: live.status.mode), options: live.sessionOptions())
        session.options.untilIdle = untilIdle?.seconds
        if let capture { session.options.filesAtEnd = [(capture, 1)] }
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
        let written = live.write(report, knowledge: knowledge)
        if session.writeError != nil || !written || live.failOn.fails(report) { throw ExitCode(1) }
    }
}
