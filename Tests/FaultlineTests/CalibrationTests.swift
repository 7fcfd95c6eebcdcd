import Testing
import Faultline

/// Confidence must mean what it says on the cases whose truth is known.
@Suite("Calibration on the samples")
struct CalibrationTests {
    static let calibration: Calibration = {
        var calibration = Calibration()
        calibration.run(roots: [TestSupport.samples.path], analyzer: Analyzer(knowledge: TestSupport.knowledge))
        return calibration
    }()

    @Test("every sample's logs alone give the expected top cause (or none when healthy)")
    func logsTopOne() {
        let logRuns = Self.calibration.outcomes.filter { $0.name.hasSuffix("(logs)") }
        #expect(logRuns.count >= 30)
        for outcome in logRuns {
            #expect(outcome.topCorrect, "\(outcome.name): expected \(outcome.expected), got \(outcome.reported.map(\.cause))")
        }
    }

    @Test("each confidence band's share of right answers is within 0.15 of its mean confidence")
    func reliability() {
        let bands = Self.calibration.reliability()
        #expect(!bands.isEmpty)
        for band in bands where band.count >= 5 {
            #expect(abs(band.accuracy - band.meanConfidence) <= 0.15,
                    "band \(band.lower)–\(band.upper): \(band.count) hypotheses, mean \(band.meanConfidence), right \(band.accuracy)")
        }
        #expect(Self.calibration.expectedCalibrationError < 0.12)
    }
}
