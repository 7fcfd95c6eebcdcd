import Foundation
import Testing
import Faultline
import FaultlineCapture

/// libpcap is linked from day one: these read the real sample captures
/// through it and compare with an independent walk of the pcap records.
@Suite("Captures through libpcap")
struct CaptureTests {
    /// Counts records of a classic pcap file by walking its headers (the reference).
    static func referenceFrameCount(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 24 else { return nil }
        let magic = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        let little: Bool
        switch magic {
        case 0xa1b2_c3d4, 0xa1b2_3c4d: little = true
        case 0xd4c3_b2a1, 0x4d3c_b2a1: little = false
        default: return nil
        }
        func u32(_ at: Int) -> Int {
            let b = bytes[at..<(at + 4)].map(Int.init)
            return little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24
        }
        var offset = 24
        var count = 0
        while offset + 16 <= bytes.count {
            offset += 16 + u32(offset + 8)
            if offset <= bytes.count { count += 1 }
        }
        return count
    }

    @Test("libpcap is linked and reports its version")
    func version() {
        #expect(PcapFile.libraryVersion.hasPrefix("libpcap version"))
    }

    @Test("every sample capture is read frame by frame, agreeing with a walk of its records")
    func sampleCaptures() throws {
        let base = TestSupport.samples.appendingPathComponent("go")
        var checked = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() {
            let path = base.appendingPathComponent(name).appendingPathComponent("dns.pcap").path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let capture = try PcapFile(path: path)
            var last = 0.0
            while let frame = try capture.next() {
                #expect(frame.time >= last - 1, "times move forward in \(name)")
                last = frame.time
                #expect(frame.bytes.count <= frame.originalLength)
            }
            #expect(capture.framesRead == Self.referenceFrameCount(Array(data)), "\(name)")
            #expect(capture.framesRead > 0)
            checked += 1
        }
        #expect(checked >= 8)
    }

    @Test("a capture cut in half is read up to the cut, which is reported with its frame")
    func truncated() throws {
        let source = TestSupport.samples.appendingPathComponent("go/dns-unreachable/dns.pcap").path
        let data = try #require(FileManager.default.contents(atPath: source))
        let cut = try TestSupport.scratchFile("cut.pcap", Array(data.prefix(data.count / 2 + 3)))
        let report = TestSupport.analyze([cut])
        #expect(report.inputs.first?.format == "pcap")
        let diagnostic = try #require(report.diagnostics.first { $0.code == "capture.corrupt" })
        #expect(diagnostic.frame == (report.inputs.first?.frames ?? -1) + 1)
    }

    @Test("a gzipped capture is analysed like the capture itself (libpcap reads the gunzipped stream)")
    func gzipped() throws {
        let source = TestSupport.samples.appendingPathComponent("go/dns-search-expansion/dns.pcap").path
        let data = try #require(FileManager.default.contents(atPath: source))
        let packed = try TestSupport.scratchFile("expansion.pcap.gz", try Gzip.compress(Array(data)))
        let plain = TestSupport.analyze([source])
        let report = TestSupport.analyze([packed])
        #expect(report.inputs.first?.format == "pcap")
        #expect(report.inputs.first?.frames == plain.inputs.first?.frames)
        #expect(report.inputs.first?.events == plain.inputs.first?.events)
        #expect(report.hypotheses.map(\.cause) == ["dns_search_expansion"])
        #expect(report.hypotheses.map(\.cause) == plain.hypotheses.map(\.cause))
        #expect(report.hypotheses.first?.evidence.map(\.text) == plain.hypotheses.first?.evidence.map(\.text))
        #expect(report.hypotheses.first?.evidence.first?.input == packed)
    }

    @Test("a gzipped capture cut short: the frames before the cut are analysed, the cut is reported with its byte offset")
    func gzippedAndCut() throws {
        let source = TestSupport.samples.appendingPathComponent("go/dns-unreachable/dns.pcap").path
        let data = try #require(FileManager.default.contents(atPath: source))
        let packed = try Gzip.compress(Array(data))
        let cut = try TestSupport.scratchFile("cut.pcap.gz", Array(packed.prefix(packed.count * 3 / 4)))
        let report = TestSupport.analyze([cut])
        #expect(report.inputs.first?.format == "pcap")
        #expect((report.inputs.first?.frames ?? 0) >= 1)
        let diagnostic = try #require(report.diagnostics.first { $0.code.hasPrefix("input.gzip") })
        #expect(diagnostic.input == cut)
        #expect(diagnostic.byteOffset != nil)
    }
}
