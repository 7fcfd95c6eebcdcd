import Foundation
import Testing
import Faultline

@Suite("faultline dns - on a capture still being written")
struct LiveDNSStreamTests {
    typealias B = PcapBuilder

    /// A capture of `pairs` answered queries, built frame by frame.
    static func capture(pairs: Int, from first: Int = 0) -> PcapBuilder {
        var capture = PcapBuilder(linkType: 1)
        for index in first..<(first + pairs) {
            let name = "host\(index).example.com"
            let time = 1_800_000_000 + Double(index)
            capture.add(B.ethernet(B.udp4("10.0.0.2", "10.0.0.53", 40000 + index, 53, B.query(id: index, name))), time: time)
            capture.add(B.ethernet(B.udp4("10.0.0.53", "10.0.0.2", 53, 40000 + index,
                                          B.response(id: index, name, addresses: ["192.0.2.\(index % 250 + 1)"]))), time: time + 0.01)
        }
        return capture
    }

    @Test("each record is written as its transaction completes, while the capture is still open")
    func recordsAsTransactionsComplete() throws {
        let dns = try LiveProcess(["dns", "-", "--format", "text"])
        let first = Self.capture(pairs: 1)
        dns.write(first.bytes)
        #expect(dns.waitForStdout(containing: "host0.example.com"), "no record while the capture was open")
        #expect(dns.process.isRunning)
        // The next pair, as its frames only (the header came with the first).
        let next = Self.capture(pairs: 1, from: 1)
        dns.write(Array(next.bytes[24...]))
        #expect(dns.waitForStdout(containing: "host1.example.com"))
        dns.closeInput()
        #expect(dns.wait() == 0)
    }

    @Test("a stream gives the records a file gives", arguments: ["ndjson", "text"])
    func streamMatchesFile(format: String) throws {
        let capture = Self.capture(pairs: 300)
        let path = try TestSupport.scratchFile("live-dns-\(format).pcap", capture.bytes)
        let fromFile = try LiveProcess(["dns", path, "--format", format])
        fromFile.closeInput()
        #expect(fromFile.wait() == 0)
        let fromPipe = try LiveProcess(["dns", "-", "--format", format])
        fromPipe.writeInBackground(capture.bytes)
        #expect(fromPipe.wait() == 0)
        #expect(!fromFile.stdout.isEmpty)
        #expect(fromPipe.stdout == fromFile.stdout)
    }
}
