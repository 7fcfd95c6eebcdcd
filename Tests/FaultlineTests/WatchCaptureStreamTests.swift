import Foundation
import Testing
import Faultline

/// `tcpdump -U -w - | faultline watch`: a capture on standard input, passed through byte for byte and
/// read by libpcap on a thread of its own, so its DNS transactions join the case as they complete.
@Suite("faultline watch on a streamed capture")
struct WatchCaptureStreamTests {
    /// Bytes of a pcap file up to the end of frame `frames` (classic pcap: 24-byte header, 16-byte record headers).
    static func prefix(_ pcap: [UInt8], frames: Int) -> [UInt8] {
        var offset = 24
        for _ in 0..<frames {
            let length = Int(pcap[offset + 8]) | Int(pcap[offset + 9]) << 8 | Int(pcap[offset + 10]) << 16 | Int(pcap[offset + 11]) << 24
            offset += 16 + length
        }
        return Array(pcap[..<offset])
    }

    @Test("a REFUSED answer is named while the capture is still open; the bytes pass through; the report is analyze's")
    func refusedWhileOpen() throws {
        let path = TestSupport.samples.appendingPathComponent("go/dns-refused/dns.pcap").path
        let pcap = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(pcap[0..<4] == [0xd4, 0xc3, 0xb2, 0xa1], "a little-endian classic pcap")
        // The first query, its REFUSED answer and the next frame (by which the tracker has settled the pair).
        let head = Self.prefix(pcap, frames: 3)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-watch-pcap-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let watch = try LiveProcess(["watch", "--status", "lines", "--report", scratch, "--format", "json"])
        watch.write(head)
        // Standard input stays open: the status comes from the first query and its REFUSED answer.
        #expect(watch.waitForStderr(containing: "faultline: dns_refused"), "stderr: \(watch.stderr)")
        #expect(watch.process.isRunning)
        #expect(watch.stderr.contains("10.99.0.53:53"))
        watch.write(Array(pcap[head.count...]))
        watch.closeInput()
        #expect(watch.wait() == 0)
        #expect(watch.stdout == pcap)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch))) as? [String: Any])
        let input = try #require((json["inputs"] as? [[String: Any]])?.first)
        #expect(input["format"] as? String == "pcap")
        #expect(input["frames"] as? Int == 8)
        let top = try #require((json["hypotheses"] as? [[String: Any]])?.first)
        #expect(top["cause"] as? String == "dns_refused")
        #expect((top["subjects"] as? [String: Any])?["nameserver"] as? String == "10.99.0.53:53")
        #expect((top["evidence"] as? [[String: Any]])?.first?["frame"] as? Int == 1)
        // analyze on the same file names the same cause and subjects.
        let analyzed = TestSupport.analyze([path])
        #expect(analyzed.hypotheses.first?.cause == "dns_refused")
        #expect(analyzed.hypotheses.first?.subjects["nameserver"] == "10.99.0.53:53")
    }

    @Test("a capture cut mid-frame is reported with its frame, and what came before is still analysed")
    func truncatedStream() throws {
        let path = TestSupport.samples.appendingPathComponent("go/dns-unreachable/dns.pcap").path
        let pcap = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let cut = Array(Self.prefix(pcap, frames: 3).dropLast(5))
        let watch = try LiveProcess(["watch", "--status", "none"])
        watch.write(cut)
        watch.closeInput()
        #expect(watch.wait() == 0)
        #expect(watch.stdout == cut)
        #expect(watch.stderr.contains("pcap, 2 frames"), "\(watch.stderr)")
        #expect(watch.stderr.contains("frame 3"), "the cut frame is named: \(watch.stderr)")
    }
}
