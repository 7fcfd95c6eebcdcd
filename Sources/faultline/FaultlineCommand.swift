import ArgumentParser
import Faultline

/// `faultline`: the thin command-line front end over the Faultline library.
@main
struct FaultlineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "Tells you why a build or a service broke.",
        discussion: """
        Faultline reads the evidence a failure leaves behind — Go, npm and yarn build output (bare, \
        inside `docker build`, inside any CI's log), test runners', linters' and compilers' output, \
        npm debug logs, JVM thread dumps and DNS packet captures — puts every event on one timeline, \
        and names the root cause with its evidence, its confidence, the fix and the command that \
        confirms it. A failed build is never "nothing failed": what no signature knows is still a \
        failure of its failed step, with the lines above it as evidence.

        Examples:
          faultline analyze build.log
          faultline analyze Samples/go/dns-refused/      # a log and its capture
          go build ./... 2>&1 | faultline analyze -
          go mod download 2>&1 | faultline watch          # output through, the cause as it happens
          faultline run --capture any -- go mod download  # the same, with a live DNS capture
          faultline analyze --format json ci-job.log.gz
          faultline analyze --tz Europe/Berlin service.log dns.pcap
          faultline batch ci-logs.tgz --out results.ndjson --db results.sqlite
          faultline summary results.ndjson --format markdown
          faultline dns capture.pcap --format ndjson
          faultline jstack dump-1.txt dump-2.txt
          faultline pipelines show default
          faultline calibrate Samples

        Exit status: 0 the analysis ran; 1 with --exit-code or --fail-on, the verdict was a \
        failure (or a warning was found); 2 bad usage; 3 an input could not be read (the others \
        were analysed); 4 the pipeline or rule packs are invalid. `run` exits with its command's \
        status instead.
        """,
        subcommands: [AnalyzeCommand.self, BatchCommand.self, WatchCommand.self, RunCommand.self, SummaryCommand.self,
                      CalibrateCommand.self, DNSCommand.self, JstackCommand.self, PipelinesCommand.self],
        defaultSubcommand: nil
    )

    @Flag(help: "Print the version, the commit it was built from and the rule packs' version.")
    var version = false

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        writeStdout(VersionText.make(library: .standard()))
    }

    /// Runs the command, mapping usage errors to exit status 2 as the contract says.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let message = fullMessage(for: error)
                if !message.isEmpty { printError(message) }
                Self.exit(withError: ExitCode(2))
            }
            Self.exit(withError: error)
        }
    }
}

func printError(_ message: String) {
    var stream = StandardError()
    print(message, to: &stream)
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var copy = string
        copy.withUTF8 { bytes in _ = fwriteStderr(bytes) }
    }
}
