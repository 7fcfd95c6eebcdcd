import Foundation
import Testing
import Faultline

/// `tcpdump -U -w - | faultline analyze -` watched from a terminal: the capture decoded as it arrives and the
/// cause named on standard error before the input ends, the report at its end.
@Suite("analyze - on a live capture, from a terminal")
struct AnalyzeLiveTests {
    @Test("a REFUSED answer is named while the pipe is still open; the report follows at its end")
    func statusBeforeEnd() throws {
        let path = TestSupport.samples.appendingPathComponent("go/dns-refused/dns.pcap").path
        let pcap = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let head = WatchCaptureStreamTests.prefix(pcap, frames: 3)
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-analyze-live-\(getpid())").path
        try? FileManager.default.removeItem(atPath: fifo)
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: fifo) }
        // Standard input a pipe (cat), standard error the terminal script(1) gives.
        let command = "cat '\(fifo)' | '\(LiveProcess.binary.path)' analyze -"
        let run = try LiveProcess(["-qec", command, "/dev/null"], executable: RunTerminalTests.script)
        let rest = Array(pcap[head.count...])
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        writer.write(Data(head))
        #expect(run.waitForStdout(containing: "faultline: dns_refused"), "no status while the capture was open")
        #expect(!String(decoding: run.stdout, as: UTF8.self).contains("verdict:"))
        writer.write(Data(rest))
        try writer.close()
        #expect(run.wait() == 0)
        let shown = String(decoding: run.stdout, as: UTF8.self)
        #expect(shown.contains("verdict: failure"))
        #expect(shown.contains("1. dns_refused"))
        #expect(shown.contains("pcap, 8 frames"))
    }
}
