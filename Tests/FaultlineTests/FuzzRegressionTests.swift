import Foundation
import Testing
import Faultline
@testable import FaultlineCapture

/// Inputs the fuzzers (`scripts/fuzz.sh`) found crashing a decoder, minimised and kept in
/// `Corpus/Fuzz/TARGET/`: each is read to its end now, and the fix is pinned down below.
@Suite("Fuzzing findings")
struct FuzzRegressionTests {
    static var folder: URL { TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Corpus/Fuzz") }

    static func inputs(_ target: String) throws -> [String] {
        let dir = folder.appendingPathComponent(target)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map { dir.appendingPathComponent($0).path }
    }

    @Test("Every capture the pcap fuzzer crashed on is analysed to its end")
    func captures() throws {
        let files = try Self.inputs("pcap")
        #expect(!files.isEmpty)
        for file in files {
            let report = Analyzer(knowledge: TestSupport.knowledge).analyze(paths: [file])
            #expect(report.inputs.first?.format == "pcap", "\(file)")
            #expect((report.inputs.first?.frames ?? 0) > 0, "\(file)")
        }
    }

    @Test("A TCP segment exactly 2^31 bytes behind the stream is old data, not an overflow")
    func sequenceHalfwayRound() {
        var tcp = TCPStreamReassembler()
        var weirds = WeirdLog()
        let key = TCPStreamReassembler.Key(source: Endpoint(address: IPAddress(ipv4: 0x0808_0808), port: 53),
                                           destination: Endpoint(address: IPAddress(ipv4: 0xAC11_0008), port: 51388))
        var delivered: [[UInt8]] = []
        let message: [UInt8] = [0, 12] + Array(repeating: 0x41, count: 12)
        func feed(_ sequence: UInt32, _ bytes: [UInt8], syn: Bool = false) {
            bytes.withUnsafeBytes { payload in
                tcp.segment(key, sequence: sequence, syn: syn, fin: false, rst: false, payload: payload, frame: 1,
                            time: CaptureTime(nanoseconds: 0), weirds: &weirds) { delivered.append(Array($0)) }
            }
        }
        feed(0x5B1E_1FB1, [], syn: true)
        feed(0x5B1E_1FB2 &+ 0x8000_0000, message)   // Int32(bitPattern: sequence - expected) == Int32.min
        feed(0x5B1E_1FB2, message)                  // the stream itself goes on
        #expect(delivered.count == 1)
        #expect(delivered.first?.count == 12)
    }
}
