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
        public var inputs: [String]
        public var expected: String
        /// Reported hypotheses, best first: cause and confidence.
        public var reported: [(cause: String, confidence: Double)]
        public var topCorrect: Bool
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
                    if cause == outcome.expected { band.correct += 1 }
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
