import Foundation
import FaultlineCore

/// Measures how well Faultline's confidence is calibrated on cases whose
/// truth is known: folders holding an `expected.json` beside their evidence
/// (the bundled samples). Every reported hypothesis is a prediction; it is
/// right when its cause is the expected one. The reliability table says, for
/// the hypotheses reported in each confidence band, what share were right —
/// about 0.9 in the 0.9 band if the confidences mean what they say.
public struct Calibration: Sendable {
    /// One known case and what analysing it gave.
    public struct Outcome: Sendable {
        public var name: String
        /// `samples` for folders with an `expected.json`; a corpus's folder name (`ci`, `wild`) for
        /// the logs a `cases.json` manifest lists.
        public var group: String = "samples"
        public var inputs: [String]
        public var expected: String
        /// Causes a careful reader would also accept (a corpus manifest's `also_acceptable`).
        public var alsoAcceptable: [String] = []
        /// Reported hypotheses, best first: cause and confidence.
        public var reported: [(cause: String, confidence: Double)]
        public var topCorrect: Bool
        /// Whether the verdict was the expected one, when the case says which.
        public var verdictCorrect: Bool?
        /// Whether the top hypothesis's first evidence line lies in the case's labelled region, when it has one.
        public var evidenceInRegion: Bool?

        /// Whether `cause` is a right answer for this case.
        public func accepts(_ cause: String) -> Bool { cause == expected || alsoAcceptable.contains(cause) }
    }

    /// One group's figures: how many cases, how many right.
    public struct GroupSummary: Sendable {
        public var group: String
        public var cases: Int
        public var topCorrect: Int
        public var verdictCorrect: Int
        public var withRegion: Int
        public var evidenceInRegion: Int
    }

    /// One confidence band of the reliability table.
    public struct Band: Sendable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var correct: Int
        public var meanConfidence: Double
        public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
    }

    public var outcomes: [Outcome] = []

    public init() {}

    /// Finds every folder under `roots` with an `expected.json` and analyses it
    /// twice when it has a capture: the build log alone, and the whole folder.
    public mutating func run(roots: [String], analyzer: Analyzer) {
        for manifest in Self.manifests(roots) { runCorpus(manifest: manifest, analyzer: analyzer) }
        for folder in Self.caseFolders(roots) {
            guard let data = FileManager.default.contents(atPath: folder + "/expected.json"),
                  let expected = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let cause = expected["cause"] as? String else { continue }
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { !($0.hasPrefix("expected") && $0.hasSuffix(".json")) && !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
            let logs = files.filter { !$0.hasSuffix(".pcap") && !$0.hasSuffix(".pcapng") }
            let name = (folder as NSString).lastPathComponent
            var runs: [(String, [String], String)] = []
            if !logs.isEmpty { runs.append((name + " (logs)", logs, expected["log_only_cause"] as? String ?? cause)) }
            if logs.count < files.count { runs.append((name + " (all)", files, cause)) }
            for (label, inputs, truth) in runs {
                let report = analyzer.analyze(paths: inputs)
                let reported = report.hypotheses.map { ($0.cause, $0.confidence) }
                let top = reported.first?.0 ?? "none"
                outcomes.append(Outcome(name: label, inputs: inputs, expected: truth, reported: reported, topCorrect: top == truth))
            }
        }
    }

    /// Analyses every log a corpus manifest (`cases.json`: file, verdict, cause,
    /// also_acceptable, region) lists, as its own group named after its folder.
    mutating func runCorpus(manifest: String, analyzer: Analyzer) {
        guard let data = FileManager.default.contents(atPath: manifest),
              let cases = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return }
        let folder = (manifest as NSString).deletingLastPathComponent
        let group = (folder as NSString).lastPathComponent
        for entry in cases {
            guard let file = entry["file"] as? String, let cause = entry["cause"] as? String else { continue }
            let path = folder + "/" + file
            let report = analyzer.analyze(paths: [path])
            let reported = report.hypotheses.map { ($0.cause, $0.confidence) }
            var outcome = Outcome(name: group + "/" + file, group: group, inputs: [path], expected: cause,
                                  alsoAcceptable: entry["also_acceptable"] as? [String] ?? [],
                                  reported: reported, topCorrect: false)
            if let verdict = entry["verdict"] as? String { outcome.verdictCorrect = report.verdict.rawValue == verdict }
            outcome.topCorrect = outcome.accepts(reported.first?.0 ?? "none") && outcome.verdictCorrect != false
            if let region = entry["region"] as? [String: Any], let first = region["first"] as? Int, let last = region["last"] as? Int,
               let top = report.hypotheses.first {
                let line = top.evidence.lazy.compactMap(\.line).first
                outcome.evidenceInRegion = line.map { (first...last).contains($0) } ?? false
            }
            outcomes.append(outcome)
        }
    }

    /// Every group's figures, samples first, then corpora by name.
    public var groups: [GroupSummary] {
        var order: [String] = []
        var summaries: [String: GroupSummary] = [:]
        for outcome in outcomes {
            if summaries[outcome.group] == nil {
                order.append(outcome.group)
                summaries[outcome.group] = GroupSummary(group: outcome.group, cases: 0, topCorrect: 0, verdictCorrect: 0,
                                                        withRegion: 0, evidenceInRegion: 0)
            }
            summaries[outcome.group]?.cases += 1
            if outcome.topCorrect { summaries[outcome.group]?.topCorrect += 1 }
            if outcome.verdictCorrect ?? outcome.topCorrect { summaries[outcome.group]?.verdictCorrect += 1 }
            if let inRegion = outcome.evidenceInRegion {
                summaries[outcome.group]?.withRegion += 1
                if inRegion { summaries[outcome.group]?.evidenceInRegion += 1 }
            }
        }
        return order.compactMap { summaries[$0] }
    }

    /// `cases.json` manifests under `roots` (recursively).
    static func manifests(_ roots: [String]) -> [String] {
        var result: [String] = []
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let item = walker.nextObject() as? String {
                if (item as NSString).lastPathComponent == "cases.json" { result.append((root.hasSuffix("/") ? root : root + "/") + item) }
            }
        }
        return result.sorted()
    }

    /// Folders under `roots` (recursively) that contain an `expected.json`.
    static func caseFolders(_ roots: [String]) -> [String] {
        var result: [String] = []
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let item = walker.nextObject() as? String {
                if (item as NSString).lastPathComponent == "expected.json" {
                    result.append(root + "/" + (item as NSString).deletingLastPathComponent)
                }
            }
        }
        return result.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.sorted()
    }

    /// The reliability table over every reported hypothesis, in bands of `width`.
    public func reliability(width: Double = 0.1) -> [Band] {
        var bands: [Band] = []
        var lower = 0.0
        while lower < 1 - 1e-9 {
            let upper = min(1, lower + width)
            var band = Band(lower: lower, upper: upper, count: 0, correct: 0, meanConfidence: 0)
            var total = 0.0
            for outcome in outcomes {
                for (cause, confidence) in outcome.reported where confidence >= lower && (confidence < upper || upper >= 1) {
                    band.count += 1
                    total += confidence
                    if outcome.accepts(cause) { band.correct += 1 }
                }
            }
            band.meanConfidence = band.count == 0 ? 0 : total / Double(band.count)
            if band.count > 0 { bands.append(band) }
            lower = upper
        }
        return bands
    }

    /// Expected calibration error: the count-weighted gap between confidence and accuracy.
    public var expectedCalibrationError: Double {
        let bands = reliability()
        let total = bands.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        return bands.reduce(0) { $0 + Double($1.count) / Double(total) * abs($1.accuracy - $1.meanConfidence) }
    }

    /// Cases whose top hypothesis was the expected cause (`none` when nothing was reported).
    public var topOneAccuracy: Double {
        outcomes.isEmpty ? 0 : Double(outcomes.filter(\.topCorrect).count) / Double(outcomes.count)
    }
}
