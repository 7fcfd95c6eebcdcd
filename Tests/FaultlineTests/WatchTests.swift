import Foundation
import Testing
import Faultline

@Suite("faultline watch")
struct WatchTests {
    static let sample = TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log")

    @Test("names the unreachable resolver on standard error before its input has ended")
    func hypothesisBeforeEndOfInput() throws {
        let log = try Array(Data(contentsOf: Self.sample))
        let lines = log.split(separator: 0x0A, omittingEmptySubsequences: false)
        let head = Array(lines[0..<31].joined(separator: [0x0A])) + [0x0A]
        let watch = try LiveProcess(["watch", "--status", "lines"])
        watch.write(head)
        // Standard input stays open: the status must come from the lines so far.
        let seen = watch.waitForStderr(containing: "faultline: dns_server_unreachable")
        #expect(seen, "no status while the input was open; stderr: \(watch.stderr)")
        #expect(watch.process.isRunning)
        #expect(watch.stderr.contains("stdin:31"))
        #expect(watch.stderr.contains("10.99.1.53:53"))
        watch.write(Array(log[head.count...]))
        watch.closeInput()
        #expect(watch.wait() == 0)
        #expect(watch.stdout == log)
        // The status once, then the report at the end.
        #expect(watch.stderr.components(separatedBy: "faultline: dns_server_unreachable").count == 2)
        #expect(watch.stderr.contains("verdict: failure"))
    }

    @Test("--capture FILE: the capture of the same run joins the case when the input ends, as analyze would join it")
    func captureBeside() throws {
        let log = try Array(Data(contentsOf: Self.sample))
        let capture = TestSupport.samples.appendingPathComponent("go/dns-unreachable/dns.pcap").path
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-watch-capture-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let watch = try LiveProcess(["watch", "--status", "none", "--capture", capture, "--report", scratch, "--format", "json"])
        watch.write(log)
        watch.closeInput()
        #expect(watch.wait() == 0)
        #expect(watch.stdout == log)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch))) as? [String: Any])
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.last?["format"] as? String == "pcap")
        #expect(inputs.last?["frames"] as? Int == 4)
        let top = try #require((json["hypotheses"] as? [[String: Any]])?.first)
        #expect(top["cause"] as? String == "dns_server_unreachable")
        let evidence = try #require(top["evidence"] as? [[String: Any]])
        #expect(evidence.contains { $0["input"] as? String == "-" && $0["line"] as? Int == 31 })
        #expect(evidence.contains { $0["input"] as? String == capture && $0["frame"] as? Int == 1 })
        // The same files through analyze name the same cause with the same confidence.
        let analyzed = TestSupport.analyze([Self.sample.path, capture])
        #expect(analyzed.hypotheses.first?.cause == "dns_server_unreachable")
        // (The JSON report gives confidences to two decimals.)
        #expect(abs((analyzed.hypotheses.first?.confidence ?? 0) - (top["confidence"] as? Double ?? -1)) < 0.006)
    }

    @Test("passes random binary bytes through unchanged")
    func binaryPassthrough() throws {
        var random = SplitMix(seed: 13)
        var bytes = [UInt8](repeating: 0, count: 8 << 20)
        for index in stride(from: 0, to: bytes.count, by: 8) {
            withUnsafeBytes(of: random.next()) { word in
                for offset in 0..<8 { bytes[index + offset] = word[offset] }
            }
        }
        let watch = try LiveProcess(["watch", "--status", "lines"], expecting: bytes)
        watch.writeInBackground(bytes)
        #expect(watch.wait() == 0)
        let check = watch.stdoutCheck
        #expect(check.count == bytes.count)
        #expect(check.mismatch == nil)
    }

    @Test("passes a 100 MB line through unchanged")
    func hugeLinePassthrough() throws {
        var random = SplitMix(seed: 100)
        var bytes = [UInt8](repeating: 0, count: 100_000_000)
        for index in stride(from: 0, to: bytes.count - 8, by: 8) {
            let word = random.next()
            for offset in 0..<8 { bytes[index + offset] = 0x21 + UInt8(truncatingIfNeeded: word >> (offset * 8)) % 94 }
        }
        bytes[bytes.count - 1] = 0x0A
        let watch = try LiveProcess(["watch", "--status", "lines", "--format", "json"], expecting: bytes)
        watch.writeInBackground(bytes)
        #expect(watch.wait() == 0)
        let check = watch.stdoutCheck
        #expect(check.count == bytes.count)
        #expect(check.mismatch == nil)
        #expect(watch.stderr.contains("line.too-long"))
    }

    @Test("an output that cannot be written is said once, with a non-zero exit")
    func writeError() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
        let process = Process()
        process.executableURL = LiveProcess.binary
        process.arguments = ["watch", "--status", "lines"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data("go: downloading example.com/a v1.0.0\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.components(separatedBy: "cannot write to standard output").count == 2)
    }
}

@Suite("faultline watch, stalls and files")
struct WatchStallTests {
    @Test("an input that goes quiet while open is said to have stalled, and noted in the report")
    func stall() throws {
        let watch = try LiveProcess(["watch", "--status", "lines", "--stall", "200ms"])
        watch.write(Array("go: downloading example.com/fl/greeting v1.0.0\n".utf8))
        #expect(watch.waitForStderr(containing: "faultline: no output for"))
        #expect(watch.process.isRunning)
        watch.closeInput()
        #expect(watch.wait() == 0)
        #expect(watch.stderr.contains("input.stalled"))
    }

    @Test("--follow reads a file being written and ends after --until-idle")
    func follow() throws {
        let log = try Array(Data(contentsOf: WatchTests.sample))
        let path = try TestSupport.scratchFile("follow-\(getpid()).log", Array(log.prefix(200)))
        defer { unlink(path) }
        let watch = try LiveProcess(["watch", "--status", "lines", "--follow", path, "--until-idle", "1s"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(log[200...]))
        try handle.close()
        #expect(watch.waitForStderr(containing: "faultline: dns_server_unreachable"))
        #expect(watch.wait() == 0)
        #expect(watch.stdout == log)
    }
}
