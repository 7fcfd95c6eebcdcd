import Foundation
import Testing
import Faultline

@Suite("Live case, followed files")
struct LiveCaseTests {
    static let sample = TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log")

    @Test("fed in any chunking, a live case concludes what analyze concludes, and a snapshot does not end it",
          arguments: [1, 7, 4096, 1 << 20])
    func chunkingAndSnapshot(chunk: Int) throws {
        let log = try Array(Data(contentsOf: Self.sample))
        var live = LiveCase(knowledge: TestSupport.knowledge, inputs: [.stream("build.log")])
        var statusAtLine31: LiveStatus?
        var offset = 0
        var lines = 0
        while offset < log.count {
            let end = min(log.count, offset + chunk)
            log[offset..<end].withUnsafeBytes { live.feed($0, input: 0, arrival: 1_800_000_000) }
            lines += log[offset..<end].count { $0 == 0x0A }
            if statusAtLine31 == nil, lines >= 31 { statusAtLine31 = LiveStatus(live.snapshot()) }
            offset = end
        }
        let report = live.finish(arrival: 1_800_000_001)
        let batch = TestSupport.analyze([Self.sample.path])
        #expect(statusAtLine31?.cause == "dns_server_unreachable")
        #expect(statusAtLine31?.place == "build.log:31")
        #expect(report.hypotheses.map(\.cause) == batch.hypotheses.map(\.cause))
        #expect(report.hypotheses.first?.evidence.map(\.line) == batch.hypotheses.first?.evidence.map(\.line))
        #expect(report.inputs.first?.format == "buildkit")
    }

    @Test("lines without a time of their own get their arrival time")
    func arrivalClock() throws {
        var live = LiveCase(knowledge: TestSupport.knowledge, inputs: [.stream("-")])
        let line = "go: example.com/m@v1.0.0: Get \"https://proxy.golang.org/example.com/m/@v/v1.0.0.mod\": dial tcp: lookup proxy.golang.org on 10.0.0.53:53: read udp 10.0.0.2:40000->10.0.0.53:53: i/o timeout\n"
        Array(line.utf8).withUnsafeBytes { live.feed($0, input: 0, arrival: 1_800_000_000.25) }
        live.includeTimeline = true
        let report = live.finish(arrival: 1_800_000_001)
        #expect(report.inputs.first?.clock == .arrival)
        #expect(report.hypotheses.first?.evidence.first?.time == EventTime(seconds: 1_800_000_000.25, clock: .arrival))
    }

    @Test("a cause for a new subject is new evidence (a snapshot at once); the same again is not")
    func newEvidence() {
        var live = LiveCase(knowledge: TestSupport.knowledge, inputs: [.stream("-")])
        let timeout = "go: example.com/m@v1.0.0: Get \"https://proxy.golang.org/example.com/m/@v/v1.0.0.mod\": dial tcp: lookup proxy.golang.org on 10.0.0.53:53: read udp 10.0.0.2:40000->10.0.0.53:53: i/o timeout\n"
        Array("go: downloading example.com/m v1.0.0\n".utf8).withUnsafeBytes { live.feed($0, input: 0, arrival: 1) }
        var found = live.takeNewEvidence()
        #expect(!found)
        Array(timeout.utf8).withUnsafeBytes { live.feed($0, input: 0, arrival: 2) }
        found = live.takeNewEvidence()
        #expect(found)
        found = live.takeNewEvidence()
        #expect(!found)
        Array(timeout.utf8).withUnsafeBytes { live.feed($0, input: 0, arrival: 3) }
        found = live.takeNewEvidence()
        #expect(!found)
    }

    @Test("a followed file is read through rotation (a new inode) and truncation, like tail -F")
    func followRotationAndTruncation() throws {
        let path = try TestSupport.scratchFile("followed-\(UUID().uuidString).log", "one\n")
        defer { unlink(path); unlink(path + ".1") }
        let file = FollowedFile(path: path)
        var buffer = [UInt8](repeating: 0, count: 4096)
        func readAll() -> String {
            var text = ""
            while true {
                let result = buffer.withUnsafeMutableBytes { file.read(into: $0) }
                guard case .data(let n) = result else { return text }
                text += String(decoding: buffer[0..<n], as: UTF8.self)
            }
        }
        #expect(readAll() == "one\n")
        try append(path, "two\n")
        #expect(readAll() == "two\n")
        // Rotation: the old file is renamed and a new one takes the name.
        #expect(rename(path, path + ".1") == 0)
        try append(path + ".1", "three\n")
        _ = try TestSupport.scratchFile(URL(fileURLWithPath: path).lastPathComponent, "four\n")
        #expect(readAll() == "three\nfour\n")
        // Truncation: reading starts again from the start.
        #expect(truncate(path, 0) == 0)
        try append(path, "5\n")
        #expect(readAll() == "5\n")
        file.close()
    }

    private func append(_ path: String, _ text: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }
}
