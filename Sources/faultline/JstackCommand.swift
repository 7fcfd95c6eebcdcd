import ArgumentParser
import Faultline

/// `faultline jstack DUMP…`: what each thread dump and the series of them show.
struct JstackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jstack",
        abstract: "Read JVM thread dumps and show what is stuck and why.",
        discussion: """
        Each DUMP is a file, a folder, a .gz file or - for standard input, holding one or more \
        thread dumps: jstack (-l, -e), jcmd Thread.print, kill -3 output inside an application's \
        log (line prefixes such as container or journald timestamps are recognised), JDK 5 to 25, \
        jcmd Thread.dump_to_file in its text or JSON form, OpenJ9 javacores, JRockit, VisualVM, \
        ThreadInfo.toString() text and jstack -F; pasted fragments too (a deadlock section alone, \
        one thread, Markdown-indented or quoted, UTF-16). All dumps of all inputs, in the order \
        given, form one series.

        For each dump: its time, threads by state, contended locks with their owner and waiters, \
        the lock owners with their waiters as a tree, deadlock cycles (from the lock graph, checked \
        against the JVM's own section), groups of identical stacks with counts, the threads that did \
        not move since the previous dump with the CPU time they used, and the findings (deadlock, \
        also through a pool; lock contention; pool starvation; threads stuck in name resolution or \
        socket I/O; virtual-thread carrier starvation; CPU spin; shutdown hang). For the series: \
        threads whose stack did not move and threads that appeared or vanished.

        A dump's timestamp line is the JVM's local time without a zone; --tz says which zone it is \
        (default UTC) and the output says which was used.
        """
    )

    @Argument(help: ArgumentHelp("Thread dump files, folders, .gz files, or - for standard input.", valueName: "dump"))
    var dumps: [String]

    @Option(help: "Output format: text for people, json for programs (faultline.jstack/1).")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Zone of the dumps' local timestamp lines: UTC, +02:00, Europe/Berlin…", valueName: "zone"))
    var tz: String = "UTC"

    func validate() throws {
        if dumps.isEmpty { throw ValidationError("name at least one thread dump: a file, a folder, or - for standard input") }
        if dumps.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be named only once") }
        if ThreadDumpInspector(timeZoneNamed: tz) == nil { throw ValidationError("unknown time zone '\(tz)': use UTC, an offset such as +02:00, or a name such as Europe/Berlin") }
    }

    func run() throws {
        guard let inspector = ThreadDumpInspector(timeZoneNamed: tz) else { throw ValidationError("unknown time zone '\(tz)'") }
        let inspection = inspector.inspect(paths: dumps)
        switch format {
        case .json: writeStdout(ThreadDumpJSONRenderer().render(inspection))
        case .text: writeStdout(ThreadDumpTextRenderer().render(inspection))
        }
        if inspection.hasUnreadableInput { throw ExitCode(3) }
    }
}
