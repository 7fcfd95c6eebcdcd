import ArgumentParser
import Faultline

/// `faultline summary RESULTS…`: causes across one or more batches.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise batch results: causes by count, layer and day, top subjects, new causes.",
        discussion: """
        Each RESULTS file is the NDJSON of `faultline batch --out` or the SQLite database of \
        `--db` (told apart by content); shards' files are merged, a case counted once. \
        Days (or ISO weeks, --by week) come from the top hypotheses' absolute evidence times, else from the input file's \
        modification time, else `undated`. Subjects are the top hypotheses' hosts, nameservers, \
        modules, packages, registries, proxies and URLs.

        --format html gives one self-contained page: causes over time as a stacked bar chart \
        (inline SVG; hover a bar for its counts), the tables, and the cases with a cause, each linked \
        to its own report when `faultline batch --reports DIR` wrote one.

        --since OLDER compares with an older run (NDJSON or database): the cases whose top cause \
        is new — different from the older run's, or the case was not in it.

        Examples:
          faultline summary results.ndjson
          faultline summary part-*.ndjson --format markdown > summary.md
          faultline summary results.ndjson --format html > summary.html
          faultline summary this-week.sqlite --since last-week.sqlite --format json
          faultline summary results.sqlite --by week

        Exit status: 0 summarised; 2 bad usage; 3 a results file could not be read.
        """
    )

    @Argument(help: ArgumentHelp("NDJSON files or databases written by faultline batch.", valueName: "results"))
    var results: [String]

    @Option(help: ArgumentHelp("An older run's NDJSON or database to compare top causes with.", valueName: "older"))
    var since: String?

    @Option(help: "Output: text, markdown, html or json.")
    var format: String = "text"

    @Option(help: "Date cases by day or by ISO week.")
    var by: String = "day"

    @Option(help: "Subjects listed per kind.")
    var top: Int = 10

    func validate() throws {
        if results.isEmpty { throw ValidationError("name at least one NDJSON file or database") }
        if !CauseSummaryRenderer.formats.contains(format) {
            throw ValidationError("--format must be one of: \(CauseSummaryRenderer.formats.joined(separator: ", "))")
        }
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if CauseSummary.Period(rawValue: by) == nil { throw ValidationError("--by must be day or week") }
    }

    func run() throws {
        var records: [CaseRecord] = []
        var unreadable = false
        for path in results {
            let outcome = RecordReader.read(path)
            if let error = outcome.error {
                printError("faultline summary: \(error)")
                unreadable = true
            }
            if outcome.skipped > 0 { printError("faultline summary: \(path): \(outcome.skipped) lines are not batch cases; skipped") }
            records += outcome.records
        }
        var older: [CaseRecord]?
        if let since {
            let outcome = RecordReader.read(since)
            if let error = outcome.error {
                printError("faultline summary: \(error)")
                throw ExitCode(3)
            }
            older = outcome.records
        }
        writeStdout(CauseSummaryRenderer.render(CauseSummary(records: records, older: older, top: top,
                                                               period: CauseSummary.Period(rawValue: by) ?? .day), format: format))
        if unreadable { throw ExitCode(3) }
    }
}
