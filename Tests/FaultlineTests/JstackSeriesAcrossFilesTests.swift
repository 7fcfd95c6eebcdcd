import Foundation
import Testing
import Faultline

/// Dumps of one JVM saved in separate files are one series in `analyze`, as
/// they are in one file.
@Suite("Thread-dump series across files")
struct JstackSeriesAcrossFilesTests {
    @Test("the real starved-pool sample split into two files gives the same series finding as the whole")
    func splitSeries() throws {
        let whole = TestSupport.samples.appendingPathComponent("jvm/starved-pool/dumps.txt").path
        let data = try #require(FileManager.default.contents(atPath: whole))
        let text = String(decoding: data, as: UTF8.self)
        // Split before the second dump's jcmd header block (PID line, timestamp, `Full thread dump`).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let headers = lines.indices.filter { lines[$0].hasPrefix("Full thread dump") }
        try #require(headers.count == 2)
        let cut = headers[1] - 2
        let first = try TestSupport.scratchFile("starved-1.txt", lines[..<cut].joined(separator: "\n") + "\n")
        let second = try TestSupport.scratchFile("starved-2.txt", lines[cut...].joined(separator: "\n"))

        let single = TestSupport.analyze([whole])
        let split = TestSupport.analyze([first, second])
        let wholeTop = try #require(single.hypotheses.first)
        let splitTop = try #require(split.hypotheses.first)
        #expect(splitTop.cause == "jvm_pool_starvation")
        #expect(splitTop.cause == wholeTop.cause)
        let seriesText = try #require(wholeTop.evidence.first { $0.text.hasSuffix("unchanged across 2 dumps") }?.text)
        #expect(splitTop.evidence.contains { $0.input == second && $0.text == seriesText },
                "the second file continues the first file's series: \(splitTop.evidence.map(\.text))")
        #expect(splitTop.sources.count == 2)
    }
}
