import ArgumentParser
import Faultline

/// `faultline calibrate DIR…`: how well the confidences mean what they say, on known cases.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Measure top-1 accuracy and confidence calibration on cases with a known cause.",
        discussion: """
        Every folder under DIR that holds an expected.json (as Samples/ does) is a case: its logs are \
        analysed alone, and together with its capture when it has one. Every cases.json under DIR is a \
        corpus of real logs (Tests/FaultlineTests/Corpus/ci: failing CI builds; …/wild: logs pasted in \
        public threads), each log with its expected verdict, cause and the region a person would point \
        at; each corpus is reported as its own group. Prints the mistakes (every case with --verbose), \
        each group's accuracy, then the reliability table: for the hypotheses reported in each \
        confidence band, the share that named a right cause.

        Examples:
          faultline calibrate                                   # Samples and the real-log corpora
          faultline calibrate Tests/FaultlineTests/Corpus/ci --verbose
        """
    )

    @Argument(help: ArgumentHelp("Folders to search for cases (default: Samples, and Tests/FaultlineTests/Corpus when present).",
                                 valueName: "dir"))
    var roots: [String] = ["Samples", "Tests/FaultlineTests/Corpus"]

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @Flag(help: "List every case, not only the mistakes.")
    var verbose = false

    func run() throws {
        let knowledge = try knowledgeOptions.load()
        var calibration = Calibration()
        calibration.run(roots: roots, analyzer: Analyzer(knowledge: knowledge))
        var out = ""
        for outcome in calibration.outcomes where verbose || !outcome.topCorrect {
            let reported = outcome.reported.map { "\($0.cause) \(Self.format($0.confidence))" }.joined(separator: ", ")
            out += "\(outcome.topCorrect ? "ok      " : "MISTAKE ") \(outcome.name): expected \(outcome.expected); reported \(reported.isEmpty ? "nothing" : reported)\n"
        }
        out += "\n"
        for group in calibration.groups {
            out += "\(group.group): \(group.cases) cases, top-1 correct \(group.topCorrect) (\(Self.format(Double(group.topCorrect) / Double(max(1, group.cases))))), "
                + "verdict right \(group.verdictCorrect)"
                + (group.withRegion > 0 ? ", top evidence in the labelled region \(group.evidenceInRegion)/\(group.withRegion)" : "") + "\n"
        }
        out += "\(calibration.outcomes.count) case runs, top-1 correct: \(Self.format(calibration.topOneAccuracy))\n"
        out += "reliability (every reported hypothesis):\n  band        n   mean conf  share right\n"
        for band in calibration.reliability() {
            out += "  \(Self.format(band.lower))–\(Self.format(band.upper))  \(String(repeating: " ", count: max(0, 3 - String(band.count).count)))\(band.count)   \(Self.format(band.meanConfidence))       \(Self.format(band.accuracy))\n"
        }
        out += "expected calibration error: \(Self.format(calibration.expectedCalibrationError))\n"
        writeStdout(out)
    }

    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
