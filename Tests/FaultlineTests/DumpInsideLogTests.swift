import Foundation
import Testing
import Faultline
import FaultlineDecode

/// `kill -3` output lands in a service's own log, often long after the 64 KiB
/// that format detection reads: the text decoder hands over to the
/// thread-dump decoder at the first `Full thread dump` line.
@Suite("Thread dumps deep inside a service log")
struct DumpInsideLogTests {
    /// The real dns-hang service log, after `padding` copies of its own first lines (more than 64 KiB).
    static func lateDumpLog() throws -> (bytes: [UInt8], padding: Int) {
        let path = TestSupport.samples.appendingPathComponent("jvm/dns-hang/service.log").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var padding: [Substring] = []
        while padding.reduce(0, { $0 + $1.utf8.count + 1 }) < 100_000 { padding.append(lines[padding.count % 5]) }
        return (Array((padding.map(String.init).joined(separator: "\n") + "\n" + text).utf8), padding.count)
    }

    @Test("analyze finds the dumps past format detection's head, with the log's own line numbers")
    func analyzeLateDump() throws {
        let original = TestSupport.analyze([TestSupport.samples.appendingPathComponent("jvm/dns-hang/service.log").path])
        let (bytes, padding) = try Self.lateDumpLog()
        let path = try TestSupport.scratchFile("late-dump.log", bytes)
        let report = TestSupport.analyze([path])
        let input = try #require(report.inputs.first)
        #expect(input.format != "jstack")
        #expect(input.contains.contains("jvm"))
        let top = try #require(report.hypotheses.first)
        let expected = try #require(original.hypotheses.first)
        #expect(top.cause == expected.cause)
        #expect(top.explains == expected.explains)
        // The same three dumps' findings, each `padding` lines further down.
        let dumpLines = { (h: Hypothesis) in h.evidence.filter { $0.text.contains("threads stuck") }.compactMap(\.line) }
        #expect(dumpLines(top) == dumpLines(expected).map { $0 + padding })
        #expect(dumpLines(top).count == 3)
        // The first dump is dated by jstack's own timestamp line, the line before its header.
        #expect(top.evidence.first { $0.text.contains("threads stuck") }?.time == expected.evidence.first { $0.text.contains("threads stuck") }?.time)
    }

    @Test("the hand-over gives the same events whatever the chunking", arguments: [1, 7, 100, 4096, 1 << 20])
    func chunking(_ chunk: Int) throws {
        let (bytes, _) = try Self.lateDumpLog()
        let knowledge = TestSupport.knowledge
        func decoder() -> BuildLogDecoder {
            BuildLogDecoder(inputIndex: 0, inputPath: "late.log", anchors: knowledge.anchors, threadDumps: { line, offset in
                ThreadDumpDecoder(inputIndex: 0, inputPath: "late.log", form: .text, layers: knowledge.causes.mapValues(\.layer),
                                  anchors: knowledge.anchors, firstLine: line, firstOffset: offset)
            })
        }
        var whole = decoder()
        var split = decoder()
        let expected = TestSupport.feed(&whole, bytes, chunk: bytes.count)
        let events = TestSupport.feed(&split, bytes, chunk: chunk)
        #expect(expected.filter { $0.kind == ThreadDumpDecoder.dumpKind }.count == 3)
        #expect(events.map(\.kind) == expected.map(\.kind))
        #expect(events.map(\.location.line) == expected.map(\.location.line))
        #expect(events.map(\.location.byteOffset) == expected.map(\.location.byteOffset))
        #expect(events.map(\.text) == expected.map(\.text))
        #expect(split.recordsSeen == whole.recordsSeen)
    }
}
