import ArgumentParser
import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// `faultline run -- CMD ARGS…`: a command run under Faultline, its cause named while it runs.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command, pass its output through, and name the cause of its failure.",
        discussion: """
        Runs CMD with its standard output and error on pipes, writes every byte of each to \
        Faultline's own standard output and error unchanged, and analyses both as `faultline watch` \
        does: a status on standard error as soon as the evidence supports a hypothesis, the report \
        when the command ends (on standard error, or in --report FILE).

        With --capture IFACE (or `any`), DNS is captured live through libpcap (filter `port 53`) \
        while the command runs, and its transactions join the same case: the report puts what the \
        resolver really did beside the command's lines. --pcap FILE keeps the capture. Without the \
        privilege to capture (root or CAP_NET_RAW), Faultline says so in one line and goes on with \
        the output alone.

        Faultline exits with the command's own status (a command killed by signal N: 128+N; one \
        that cannot be started: 127); with --exit-code or --fail-on, a command that exited 0 whose \
        report reaches the threshold gives 1. Ctrl-C reaches the command from the terminal; an INT, TERM \
        or HUP sent to Faultline alone is passed on to it. Either way the report is still written.

        Examples:
          faultline run -- go mod download
          faultline run --capture any --pcap dns.pcap -- go build ./...
          faultline run --report report.json --format json -- npm ci
          faultline run --format github -- go mod download   # annotations in GitHub Actions, Markdown in the job summary
          sudo faultline run --capture eth0 -- docker build --progress=plain .
        """
    )

    @Option(help: ArgumentHelp("Capture DNS on this interface (or any) while the command runs.", valueName: "iface"))
    var capture: String?

    @Option(help: ArgumentHelp("Keep the live capture in this pcap file (with --capture).", valueName: "file"))
    var pcap: String?

    @OptionGroup var live: LiveOptions

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if command.drop(while: { $0 == "--" }).isEmpty { throw ValidationError("name the command to run after --, e.g. faultline run -- go mod download") }
        if pcap != nil && capture == nil { throw ValidationError("--pcap keeps a live capture: name its interface with --capture") }
    }

    func run() throws {
        var arguments = command
        if arguments.first == "--" { arguments.removeFirst() }
        let knowledge = try live.knowledgeOptions.load()
        signal(SIGPIPE, SIG_IGN)
        // Blocked before the child starts (which gets them back unblocked): read in the session's loop.
        let signals = SignalDescriptor(signals: [SIGINT, SIGTERM, SIGHUP, SIGCHLD])
        var inputs: [LiveCase.Input] = [.stream("stdout"), .stream("stderr")]
        let board = StatusBoard(descriptor: 2, mode: live.status.mode)
        var capturer: LiveCapture?
        var captureProblem: Diagnostic?
        if let capture {
            do {
                capturer = try LiveCapture(interface: capture, keep: pcap, input: inputs.count, knowledge: knowledge)
                inputs.append(.events("capture:" + capture))
            } catch {
                captureProblem = error
                captureProblem?.severity = .warning
                board.note("faultline: no DNS capture (\(error.message)); analysing the output alone")
            }
        }
        capturer?.start()
        let child: ChildProcess
        do {
            child = try ChildProcess(arguments: arguments)
        } catch {
            capturer?.stop()
            capturer?.join()
            signals?.restore()
            printError("faultline: cannot run \(error.message)")
            throw ExitCode(error.status)
        }
        var liveCase = LiveCase(knowledge: knowledge, inputs: inputs, localTimeZone: live.timeZone)
        liveCase.includeTimeline = live.format.needsTimeline
        if let captureProblem { liveCase.note(captureProblem) }
        var options = live.sessionOptions()
        options.endOnWriteError = false
        let session = LiveSession(live: liveCase, feeds: [
            .init(source: DescriptorSource(descriptor: child.stdout, owns: true), input: 0, output: OutputSink(descriptor: 1)),
            .init(source: DescriptorSource(descriptor: child.stderr, owns: true), input: 1, output: OutputSink(descriptor: 2)),
        ], board: board, options: options)
        var captureEnded = capturer == nil
        session.keepRunning = { child.ending == nil || !captureEnded }
        if let signals {
            session.watch(descriptor: signals.descriptor) {
                while let received = signals.next() {
                    switch received.signal {
                    case SIGCHLD:
                        guard child.poll() != nil else { continue }
                        // What the command wrote last is still read; a grandchild holding its pipes is not waited for.
                        session.endStreamsAt = LiveClock.monotonic() + 0.5
                        capturer?.stop()
                    default:
                        // The terminal's Ctrl-C reached the command already; a signal sent to Faultline alone is
                        // passed on. Once the command has ended, it ends Faultline's wait (with its report).
                        if child.ending != nil {
                            capturer?.stop()
                            session.stop()
                        } else if received.sentByProcess {
                            child.send(received.signal)
                        }
                    }
                }
            }
        }
        if let capturer {
            session.watch(descriptor: capturer.descriptor) {
                let (events, ended) = capturer.take()
                session.push(events, input: capturer.input)
                if let ended {
                    session.describe(input: capturer.input, format: "pcap", frames: ended.frames, diagnostics: ended.diagnostics)
                    captureEnded = true
                }
            }
        }
        let report = session.run()
        let ending = child.wait()
        capturer?.join()
        signals?.restore()
        let written = live.write(report, knowledge: knowledge)
        var status = ending.shellStatus
        if status == 0 && (session.writeError != nil || !written || live.failOn.fails(report)) { status = 1 }
        if status != 0 { throw ExitCode(status) }
    }
}
