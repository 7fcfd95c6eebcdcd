import ArgumentParser
import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// `faultline batch PATH… --out FILE`: many cases, each analysed on its own, one NDJSON line each.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Analyse a whole archive of failures: one case per folder or job, one NDJSON line per case.",
        discussion: """
        Each PATH is a folder (walked), a file, or an archive: .tar, .tar.gz/.tgz, .tar.zst, .tar.xz, \
        .zip (a GitHub Actions log archive, a GitLab artifacts zip), recognised from its content and \
        read as a stream, never unpacked to disk. Files may be gzip-compressed.

        Cases: the files of one folder (or of one folder inside an archive) are one case, keyed by \
        the folder's path (`logs.tgz!/run-7` inside an archive). In a GitHub Actions log archive each \
        job is a case: its N_job.txt and its job/ step logs. --case-key REGEX keys a file by its \
        path instead: the first capture group, else the whole match. Every case is analysed like \
        `faultline analyze` on the same files, and gets the same report.

        Output: one line per case, as it finishes (--sorted: in key order):
          {"case": KEY, "inputs": [...], "verdict": "failure", "report": {faultline.report/1}}
        --reports DIR also writes each case's report as a file of its own in DIR, in \
        --report-format (html by default: a page with the timeline; text, json, markdown, sarif, \
        junit, github), named after the case key, and adds "report_file" to its line. \
        `faultline summary results.ndjson --format html` then gives the page over them all.

        Beyond one machine: --shard K/N keeps the cases whose key hashes (FNV-1a 64) to K of N, so \
        N workers cover an archive exactly once; --cases-from - reads case paths from standard input, \
        one a line, the contract of Spark's RDD.pipe, Hadoop streaming and GNU parallel.

        Examples:
          faultline batch ci-logs/ --out results.ndjson
          faultline batch run-1234-logs.zip --out - | jq -r '.case + " " + .report.hypotheses[0].cause'
          faultline batch archive.tar.zst --jobs 2 --sorted --out results.ndjson
          faultline batch logs/ --case-key '^logs/([^/]+)/' --out -
          faultline batch logs/ --shard 3/8 --out part-3.ndjson
          faultline batch ci-logs/ --out results.ndjson --reports reports/   # and reports/*.html, one a case
          faultline batch logs/ --db results.sqlite --resume --out new.ndjson   # after an interruption
          find logs -mindepth 1 -maxdepth 1 -type d | faultline batch --cases-from - --out - --quiet

        --db FILE stores every case in SQLite as well, each in one transaction; --resume skips the \
        cases it already holds with the same input fingerprint (sizes and bytes), Faultline version \
        and pipeline, so an interrupted batch goes on where it stopped (skipped cases are not \
        written to --out again). `faultline summary` reads NDJSON files and databases alike.

        Progress goes to standard error: a bar on a terminal, a line every few seconds otherwise, \
        nothing with --quiet. A corrupt archive member or an unreadable file is reported in its \
        case's report; the batch goes on.

        Exit status: 0 every case was read; 1 an output (--out, --db, a --reports file) could not \
        be written, or with --exit-code or --fail-on some case reached the threshold; 2 bad usage; \
        3 some input could not be read (its case says which; this wins over a threshold); 4 the \
        pipeline or rule packs are invalid.
        """
    )

    @Argument(help: ArgumentHelp("Folders, files and archives holding the cases.", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Where the NDJSON goes: a file, or - for standard output.", valueName: "file|-"))
    var out: String = "-"

    @OptionGroup var failOn: FailOnOptions

    @Option(help: "Worker threads, each analysing one case at a time (default: the processors).")
    var jobs: Int = BatchOptions.cores

    @Flag(help: "Write the lines in case-key order instead of as cases finish.")
    var sorted = false

    @Option(help: ArgumentHelp("Only the cases whose key hashes to shard K of N (1 <= K <= N).", valueName: "K/N"))
    var shard: String?

    @Option(help: ArgumentHelp("A regular expression: a path's first capture group (or whole match) is its case key.",
                               valueName: "regex"))
    var caseKey: String?

    @Option(help: ArgumentHelp("Read case paths one a line from this file, or - for standard input.", valueName: "file|-"))
    var casesFrom: String?

    @Option(help: ArgumentHelp("Also store every case in this SQLite database (tables cases, inputs, hypotheses, evidence).",
                               valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("Also write each case's report as a file of its own in this folder.", valueName: "dir"))
    var reports: String?

    @Option(help: "Format of the --reports files: html, text, json, markdown, sarif, junit, github.")
    var reportFormat: ReportFormat = .html

    @Flag(help: "Skip the cases --db already holds with the same input fingerprint, Faultline version and pipeline.")
    var resume = false

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @Option(name: .customLong("tz"), help: ArgumentHelp(
        "The zone of local timestamps that carry none (a thread dump's header line).", valueName: "zone"))
    var timeZone = "UTC"

    @Flag(name: .shortAndLong, help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        if paths.isEmpty && casesFrom == nil { throw ValidationError("name at least one folder, file or archive, or --cases-from -") }
        if paths.contains("-") { throw ValidationError("a batch reads folders, files and archives; use --cases-from - to read case paths from standard input") }
        if !(1...256).contains(jobs) { throw ValidationError("--jobs must be between 1 and 256") }
        if let shard { do { _ = try Shard(parsing: shard) } catch { throw ValidationError(error.description) } }
        if !Analyzer.isValidTimeZone(timeZone) { throw ValidationError("unknown time zone '\(timeZone)'") }
        if resume && db == nil { throw ValidationError("--resume needs --db: the database that says which cases are done") }
    }

    func run() throws {
        let knowledge = try knowledgeOptions.load()
        var options = BatchOptions(jobs: jobs)
        options.sorted = sorted
        options.caseKey = caseKey
        options.localTimeZone = timeZone
        if let shard { options.shard = try Shard(parsing: shard) }
        if let reports {
            let folder = CaseReportFolder(path: reports, format: reportFormat, catalogue: ReportCatalogue(knowledge))
            if let problem = folder.prepare() {
                printError("faultline batch: cannot make the reports folder \(problem)")
                throw ExitCode(1)
            }
            options.caseReports = folder
        }
        let database: BatchDatabase?
        do { database = try db.map { try BatchDatabase(path: $0) } } catch {
            printError("faultline batch: cannot open the database \(db ?? ""): \(error)")
            throw ExitCode(3)
        }
        let pipelineIdentity = PipelineIdentity.of(knowledge)
        if let database {
            options.fingerprints = true
            if resume {
                let stored = try database.stored()
                options.skip = { key, fingerprint in
                    stored[key] == BatchDatabase.resumeStamp(fingerprint: fingerprint, pipeline: pipelineIdentity)
                }
            }
        }
        let runner: BatchRunner
        do { runner = try BatchRunner(knowledge: knowledge, options: options) } catch {
            throw ValidationError(error.description)
        }
        var all = paths
        if let casesFrom { all += try CaseList.read(casesFrom) }
        let output = try OutputFile(path: out)
        let progress = BatchProgress(mode: quiet ? .quiet : (Terminal.isTTY(2) ? .bar : .lines))
        let storeFailures = Counter()
        let reportFailures = Counter()
        let thresholdReached = Counter()
        let summary = runner.run(paths: all, planned: { progress.planned($0) }, skipped: { _ in progress.record(nil) }) { result in
            output.writeLine(result.line)
            if let failure = result.reportFileFailure, reportFailures.increment() == 1 {
                printError("faultline batch: cannot write \(failure.file): \(failure.reason)")
            }
            if failOn.fails(result.report) { _ = thresholdReached.increment() }
            if let database {
                do { try database.store(result, pipeline: pipelineIdentity) } catch {
                    if storeFailures.increment() == 1 { printError("faultline batch: cannot store \(result.key): \(error)") }
                }
            }
            progress.record(result)
        }
        progress.finish()
        if summary.skipped > 0 && !quiet {
            printError("faultline batch: \(summary.skipped) cases skipped, already in \(db ?? "the database") with the same inputs")
        }
        if storeFailures.value > 0 {
            printError("faultline batch: \(storeFailures.value) cases could not be stored in \(db ?? "the database")")
            throw ExitCode(1)
        }
        if reportFailures.value > 0 {
            printError("faultline batch: \(reportFailures.value) case reports could not be written to \(reports ?? "the reports folder")")
            throw ExitCode(1)
        }
        if output.failed {
            printError("faultline batch: cannot write \(out): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        if summary.unreadable > 0 { throw ExitCode(3) }
        if thresholdReached.value > 0 { throw ExitCode(1) }
    }
}
