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
        Runs CMD, writes every byte it prints to Faultline's own output unchanged, and analyses it \
        as `faultline watch` does: a status on standard error as soon as the evidence supports a \
        hypothesis, the report when the command ends (on standard error, or in --report FILE).

        When Faultline's standard output is a terminal (--terminal auto), the command gets a \
        terminal of its own (a pseudo-terminal, as script(1) makes): it keeps its colours, progress \
        bars and prompts, your keystrokes reach it, and Ctrl-C and Ctrl-Z act on it as they would \
        without Faultline; its output and error then arrive mixed, as on any terminal. Otherwise \
        (a pipe, a file, CI; or --terminal never) its standard output and error are pipes of their \
        own, passed to Faultline's standard output and error.

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

    @Option(help: ArgumentHelp(
        "Give the command a terminal of its own: auto (when standard output is a terminal), always, never.",
        valueName: "when"))
    var terminal: TerminalChoice = .auto

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
        let signals = SignalDescriptor(signals: [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGWINCH])
        var relay: TerminalRelay?
        if terminal.wanted(standardOutput: 1) {
            do {
                relay = TerminalRelay(terminal: try PseudoTerminal(like: [0, 1, 2]))
            } catch {
                printError("faultline: no terminal for the command (\(error.message)); its output goes through pipes")
            }
        }
        defer { relay?.restore() }
        var inputs: [LiveCase.Input] = relay == nil ? [.stream("stdout"), .stream("stderr")] : [.stream("terminal")]
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
            child = try ChildProcess(arguments: arguments, terminal: relay?.terminal)
        } catch {
            relay?.restore()
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
        let feeds: [LiveSession.Feed] = if relay != nil {
            [.init(source: DescriptorSource(descriptor: child.stdout, owns: false, hangUpIsEnd: true), input: 0,
                   output: OutputSink(descriptor: 1))]
        } else {
            [.init(source: DescriptorSource(descriptor: child.stdout, owns: true), input: 0, output: OutputSink(descriptor: 1)),
             .init(source: DescriptorSource(descriptor: child.stderr, owns: true), input: 1, output: OutputSink(descriptor: 2))]
        }
        let session = LiveSession(live: liveCase, feeds: feeds, board: board, options: options)
        if let relay {
            session.watch(descriptor: 0) {
                if !relay.forwardInput() { session.unwatch(descriptor: 0) }
            }
        }
        session.keepRunning = { child.ending == nil }
        if let signals {
            session.watch(descriptor: signals.descriptor) {
                while let received = signals.next() {
                    switch received.signal {
                    case SIGCHLD:
                        guard child.poll() != nil else { continue }
                        // What the command wrote last is still read; a grandchild holding its pipes is not waited for.
                        session.endStreamsAt = LiveClock.monotonic() + 0.5
                        capturer?.stop()
                    case SIGWINCH:
                        relay?.windowChanged()
                    default:
                        // The terminal's Ctrl-C reached the command already; a signal sent to Faultline alone is
                        // passed on. Once the command has ended, it ends Faultline's wait (with its report).
                        if child.ending != nil {
                            capturer?.stop()
                            session.stop()
                        } else if let relay {
                            // The command has a terminal of its own, which Faultline's terminal does not signal.
                            relay.forward(received.signal, child: child)
                        } else if received.sentByProcess {
                            child.send(received.signal)
                        }
                    }
                }
            }
        }
        if let capturer { session.attach(capturer) }
        let report = session.run()
        relay?.restore()
        let ending = child.wait()
        relay?.terminal.close()
        signals?.restore()
        let written = live.write(report, knowledge: knowledge)
        var status = ending.shellStatus
        if status == 0 && (session.writeError != nil || !written || live.failOn.fails(report)) { status = 1 }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `--terminal auto|always|never`: whether `run` gives the command a pseudo-terminal of its own.
enum TerminalChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    func wanted(standardOutput: Int32) -> Bool {
        switch self {
        case .auto: isatty(standardOutput) == 1
        case .always: true
        case .never: false
        }
    }
}
