import Foundation
import Testing
import Faultline
@testable import FaultlineInput

@Suite("Inputs: files, folders, gzip, bad input")
struct InputTests {
    static let failing = "go: example.com/m@v1.0.0: reading http://proxy.golang.org:8080/example.com/m/@v/v1.0.0.mod: 404 Not Found\n"

    @Test("a missing, an empty and a binary input are reported and the good one is still analysed")
    func badInputsDoNotStopTheRest() throws {
        let good = try TestSupport.scratchFile("good.log", Self.failing)
        let empty = try TestSupport.scratchFile("empty.log", "")
        let binary = try TestSupport.scratchFile("junk.bin", (0..<4096).map { UInt8(($0 * 7919) & 0xFF) })
        let report = TestSupport.analyze(["/nonexistent/build.log", empty, binary, good])
        #expect(report.hypotheses.first?.cause == "module_not_found")
        #expect(report.verdict == .failure)
        let codes = Dictionary(report.diagnostics.map { ($0.input, $0.code) }, uniquingKeysWith: { a, _ in a })
        #expect(codes["/nonexistent/build.log"] == "input.missing")
        #expect(codes[empty] == "input.empty")
        #expect(codes[binary] == "input.binary")
        #expect(report.inputs.first { $0.path == binary }?.failed == true)
        #expect(report.inputs.first { $0.path == good }?.format == "go-log")
    }

    @Test("a folder is walked and each file's format comes from its content, not its name")
    func folder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-folder-\(getpid())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(Self.failing.utf8).write(to: dir.appendingPathComponent("sub/notes.txt"))
        try Data("{\"a\": 1}".utf8).write(to: dir.appendingPathComponent("build.log"))
        let report = TestSupport.analyze([dir.path])
        #expect(report.inputs.map(\.format).sorted() == ["go-log", "json"])
        #expect(report.hypotheses.first?.cause == "module_not_found")
    }

    @Test("a truncated gzip file is analysed up to the cut and the cut is reported with its offset")
    func truncatedGzip() throws {
        var text = ""
        for i in 0..<20_000 { text += "go: downloading example.com/m\(i) v1.0.0\n" }
        text += Self.failing
        let gz = try Gzip.compress(Array(text.utf8))
        let whole = try TestSupport.scratchFile("whole.log.gz", gz)
        let cut = try TestSupport.scratchFile("cut.log.gz", Array(gz.prefix(gz.count / 2)))
        let good = TestSupport.analyze([whole])
        #expect(good.hypotheses.first?.cause == "module_not_found")
        #expect(good.inputs.first?.lines == 20_001)
        let report = TestSupport.analyze([cut])
        let diagnostic = try #require(report.diagnostics.first { $0.code == "input.gzip-truncated" })
        #expect(diagnostic.byteOffset == gz.count / 2)
        #expect((report.inputs.first?.lines ?? 0) > 1000, "the part before the cut was read")
    }

    @Test("format detection from content")
    func detection() {
        func detect(_ text: String) -> String {
            Array(text.utf8).withUnsafeBytes { FormatDetector.detect($0).name }
        }
        #expect(detect("#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n#2 [1/2] FROM golang\n") == "buildkit")
        #expect(detect("Step 1/4 : FROM golang\n ---> abc\nStep 2/4 : RUN go mod download\n") == "docker-legacy")
        #expect(detect("2026-11-26T03:45:37.5940478Z Current runner version: '2.321.0'\n2026-11-26T03:45:37.5940981Z ##[group]OS\n") == "github-actions")
        #expect(detect("go: go.mod file not found in current directory\n") == "go-log")
        #expect(detect("npm ERR! code ENOTFOUND\n") == "npm-log")
        #expect(detect("yarn install v1.22.19\ninfo No lockfile found.\n[1/4] Resolving packages...\n") == "yarn-log")
        #expect(detect("Arguments: \n  /usr/bin/node /usr/bin/yarnpkg install\n\nYarn version: \n  1.22.19\n") == "yarn-log")
        #expect(detect("just some words\n") == "text")
        #expect([UInt8]([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]).withUnsafeBytes { FormatDetector.detect($0).name } == "pcap")
        #expect([UInt8]([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]).withUnsafeBytes { FormatDetector.detect($0).name } == "pcapng")
    }
}
