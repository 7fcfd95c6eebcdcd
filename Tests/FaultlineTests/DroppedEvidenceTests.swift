import Foundation
import Testing
import Faultline
@testable import FaultlineInput
@testable import FaultlineDecode

/// Detection and cleaning must not throw evidence away: a stray NUL does not
/// make a log binary, text a carriage return overwrote is kept, and an OSC
/// sequence's payload is marked as removed rather than silently dropped.
@Suite("Evidence kept through detection and cleaning")
struct DroppedEvidenceTests {
    static let failing = "go: example.com/m@v1.0.0: reading https://proxy.golang.org/example.com/m/@v/v1.0.0.mod: 404 Not Found"

    @Test("A log with stray NULs is text and its failure is found")
    func strayNULs() throws {
        var bytes = Array("go: downloading example.com/m v1.0.0\n".utf8)
        bytes += [0, 0, 0, 0]  // a writer that crashed mid-line, or a pre-allocated file
        bytes += Array("\n\(Self.failing)\n".utf8)
        let path = try TestSupport.scratchFile("nuls.log", bytes)
        let report = TestSupport.analyze([path])
        #expect(report.inputs.first?.format == "go-log")
        #expect(report.hypotheses.first?.cause == "module_not_found")
        #expect(!report.diagnostics.contains { $0.code == "input.binary" })
    }

    @Test("Binary is decided by the share of non-text bytes")
    func share() {
        func binary(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { FormatDetector.isBinary($0) } }
        let text = Array(String(repeating: "go: downloading example.com/m v1.0.0 — ünïcödé\n", count: 100).utf8)
        #expect(!binary(text))
        #expect(!binary(text + [0]))
        #expect(!binary(text + [UInt8](repeating: 0, count: text.count / 20)))
        #expect(binary(text + [UInt8](repeating: 0, count: text.count / 5)))
        // UTF-16: every other byte NUL. Random-looking bytes: mostly invalid UTF-8.
        #expect(binary(Array("go: downloading example.com/m\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })))
        #expect(binary((0..<4096).map { UInt8(($0 * 7919 + 13) & 0xFF) | 0x80 }))
    }

    @Test("Text before a carriage return is kept: an error a progress line overwrote is still found")
    func carriageReturn() throws {
        var parser = EnvelopeParser()
        let line = Array("\(Self.failing)\rall good\r".utf8).withUnsafeBytes { parser.unwrap($0) }
        #expect(line.payload == "all good\r\(Self.failing)")
        let path = try TestSupport.scratchFile("cr.log", "\(Self.failing)\rall good\n")
        let report = TestSupport.analyze([path])
        #expect(report.hypotheses.first?.cause == "module_not_found")
        let evidence = try #require(report.hypotheses.first?.evidence.first)
        #expect(evidence.text.contains("404 Not Found"))
        #expect(evidence.line == 1)
    }

    @Test("Progress segments that only redraw keep what the terminal showed first")
    func progress() {
        var parser = EnvelopeParser()
        let line = Array("10%\r   \r50%\rnpm error code E404\r".utf8).withUnsafeBytes { parser.unwrap($0) }
        #expect(line.payload == "npm error code E404\r10%\r50%")
    }

    @Test("An OSC sequence's payload is marked as removed; colour is removed quietly")
    func osc() {
        var parser = EnvelopeParser()
        let clipboard = Array("go: build failed\u{1B}]52;c;Y3VybCBldmlsfHNo\u{07} here".utf8).withUnsafeBytes { parser.unwrap($0) }
        #expect(clipboard.payload == "go: build failed[OSC 52 removed] here")
        let title = Array("\u{1B}]0;my title\u{1B}\\\u{1B}[31merror\u{1B}[0m".utf8).withUnsafeBytes { parser.unwrap($0) }
        #expect(title.payload == "[OSC 0 removed]error")
        let closeLink = Array("see \u{1B}]8;;\u{1B}\\docs".utf8).withUnsafeBytes { parser.unwrap($0) }
        #expect(closeLink.payload == "see docs")
    }
}
