import Foundation
import Testing
import Faultline
import FaultlineDecode
import FaultlineInput

/// The thread-dump decoder on hand-made edge cases (prefixes, CRLF, cut dumps,
/// bad JSON, invalid UTF-8) and the rule that chunking never changes a result.
@Suite("Thread dumps: decoder")
struct JstackDecoderTests {
    static let chunkings = [1, 2, 7, 61, 4096]

    @Test("any chunking gives the same events and diagnostics", arguments: JstackSupport.IndexRow.all.map(\.file))
    func chunkingInvariance(_ file: String) throws {
        let bytes = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent(file))
        let form: ThreadDumpReader.Form = file.hasSuffix(".json") ? .json : .text
        let whole = JstackSupport.events(bytes, form: form, chunk: bytes.count + 1)
        #expect(!whole.events.isEmpty)
        // Byte-by-byte on the smaller files; coarser on the large ones (the same code paths, faster).
        let sizes = bytes.count > 200_000 ? [997, 65536] : bytes.count > 30_000 ? [3, 61, 4096] : Self.chunkings
        for size in sizes {
            let chunked = JstackSupport.events(bytes, form: form, chunk: size)
            #expect(chunked.events.map(JstackSupport.fingerprint) == whole.events.map(JstackSupport.fingerprint), "chunk \(size)")
            #expect(chunked.diagnostics == whole.diagnostics, "chunk \(size)")
        }
    }

    static let killThree = """
    2026-11-26T04:10:01.000000001Z stdout F INFO [main] service started
    2026-11-26T04:10:02.5Z stdout F 2026-11-26 04:10:02
    2026-11-26T04:10:02.5Z stdout F Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):
    2026-11-26T04:10:02.5Z stdout F
    2026-11-26T04:10:02.51Z stdout F "order-worker-1" #14 prio=5 os_prio=0 cpu=10.20ms elapsed=5.00s tid=0x00007f00 nid=0x1a2b runnable  [0x00007f01]
    2026-11-26T04:10:02.51Z stdout F    java.lang.Thread.State: RUNNABLE
    2026-11-26T04:10:02.51Z stdout F \tat java.net.Inet6AddressImpl.lookupAllHostAddr(java.base@17.0.15/Native Method)
    2026-11-26T04:10:02.51Z stderr F WARN [order-worker-2] java.net.UnknownHostException: inventory.fl-jvm.internal: Temporary failure in name resolution
    2026-11-26T04:10:02.51Z stdout F \tat java.net.InetAddress$PlatformNameService.lookupAllHostAddr(java.base@17.0.15/InetAddress.java:933)
    2026-11-26T04:10:02.51Z stdout F \tat com.acme.Orders.process(Orders.java:42)
    2026-11-26T04:10:02.51Z stdout F
    2026-11-26T04:10:02.52Z stdout F "VM Thread" os_prio=0 cpu=1.00ms elapsed=5.00s tid=0x00007f02 nid=0x1a2c runnable
    2026-11-26T04:10:02.52Z stdout F
    2026-11-26T04:10:02.52Z stdout F JNI global refs: 8, weak refs: 0
    2026-11-26T04:10:02.52Z stdout F
    2026-11-26T04:10:02.52Z stdout F Heap
    2026-11-26T04:10:02.52Z stdout F  garbage-first heap   total 129024K, used 5073K [0x00000000, 0x00000001)
    2026-11-26T04:10:02.52Z stdout F   region size 1024K, 6 young (6144K), 0 survivors (0K)
    2026-11-26T04:10:03Z stdout F INFO [order-worker-1] resolving inventory.fl-jvm.internal for order 18

    """

    @Test("kill -3 in a container log: prefix learnt from the dump line, other streams kept apart, heap ends the dump")
    func killThreeWithPrefix() throws {
        let bytes = Array(Self.killThree.utf8)
        let (dumps, diagnostics) = JstackSupport.read(bytes)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let dump = try #require(dumps.first).dump
        #expect(dumps.count == 1)
        #expect(dump.line == 3 && dump.endLine == 18)
        #expect(dump.threads.map(\.name) == ["order-worker-1", "VM Thread"])
        #expect(dump.threads[0].frames.count == 3)
        #expect(dump.threads[0].javaID == 14 && dump.threads[0].nid == 0x1a2b && dump.threads[0].line == 5)
        #expect(dump.hasHeapSummary && dump.jniReferences == 8)
        #expect(dump.interleavedLines == 1, "the stderr line is not part of the dump")
        #expect(dump.linePrefix == "2026-11-26T04:10:02.5Z stdout F ")
        #expect(dump.time.source == .header)
        #expect(dump.time.seconds.map(Timestamp.formatRFC3339) == "2026-11-26T04:10:02.000Z")
        let events = JstackSupport.events(bytes, chunk: 5).events
        let finding = try #require(events.first { $0.kind == ThreadDumpDecoder.findingKind })
        #expect(finding.cause == "jvm_blocked_on_dns")
        #expect(finding.layer == .jvm)
        #expect(finding.severity == .error)
        #expect(finding.location.line == 5)
        #expect(finding.subjects["host"] == "inventory.fl-jvm.internal")
        #expect(finding.subjects["threads"] == "1" && finding.subjects["thread"] == "order-worker-1")
        // The application's lines holding a rule pack's anchor reach the rule packs as log lines
        // (line 19 only names a host: it feeds the host hints, it is not an event).
        let logLines = events.filter { $0.kind == .logLine }.map { $0.location.line ?? 0 }
        #expect(logLines == [8])
        let dumpEvent = try #require(events.first { $0.kind == ThreadDumpDecoder.dumpKind })
        #expect(dumpEvent.subjects["threads"] == "2")
        #expect(dumpEvent.time.clock == .absolute)
    }

    @Test("journald prefix and CRLF line ends")
    func journaldCRLF() throws {
        let lines = [
            "Nov 28 13:22:05 web1 app[2701]: 2025-11-28 13:22:05",
            "Nov 28 13:22:05 web1 app[2701]: Full thread dump OpenJDK 64-Bit Server VM (11.0.6+10 mixed mode):",
            "Nov 28 13:22:05 web1 app[2701]: ",
            "Nov 28 13:22:05 web1 app[2701]: \"main\" #1 prio=5 os_prio=0 cpu=1.00ms elapsed=2.00s tid=0x00007f6aec016800 nid=0xaba waiting on condition  [0x00007f6af4245000]",
            "Nov 28 13:22:05 web1 app[2701]:    java.lang.Thread.State: TIMED_WAITING (sleeping)",
            "Nov 28 13:22:05 web1 app[2701]: \tat java.lang.Thread.sleep(java.base@11.0.6/Native Method)",
            "Nov 28 13:22:06 web1 app[2701]: ",
            "Nov 28 13:22:06 web1 app[2701]: JNI global refs: 3, weak refs: 0",
            "Nov 28 13:22:06 web1 app[2701]: INFO back to work",
        ]
        let bytes = Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
        let (dumps, diagnostics) = JstackSupport.read(bytes, chunk: 3)
        #expect(diagnostics.isEmpty)
        let dump = try #require(dumps.first).dump
        #expect(dump.threads.count == 1)
        #expect(dump.threads[0].state == .timedWaiting && dump.threads[0].stateDetail == "sleeping")
        #expect(dump.endLine == 8)
        #expect(dump.time.seconds.map(Timestamp.formatRFC3339) == "2025-11-28T13:22:05.000Z")
        #expect(dump.jvm == "OpenJDK 64-Bit Server VM (11.0.6+10 mixed mode)")
    }

    @Test("a dump cut in the middle of a line is reported, and its threads are still read")
    func truncated() throws {
        let bytes = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("parttimenerd-jthreaddump__deadlock.txt"))
        // Cut five bytes before the end of a frame line.
        let newline = try #require(bytes[9000...].firstIndex(of: 0x0A))
        let cut = Array(bytes.prefix(newline - 5))
        let (dumps, diagnostics) = JstackSupport.read(cut, chunk: 1000)
        let dump = try #require(dumps.first).dump
        #expect(!dump.threads.isEmpty)
        let diagnostic = try #require(diagnostics.first { $0.code == "jstack.truncated" })
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.line == cut.filter { $0 == 0x0A }.count + 1)
    }

    @Test("bad JSON: a diagnostic with line and byte offset; threads before it are kept")
    func badJSON() throws {
        let text = """
        {"threadDump": {"processId": "1", "time": "2026-01-01T00:00:00Z", "runtimeVersion": "25",
          "threadContainers": [{"container": "<root>", "threads": [
            {"tid": "3", "name": "main", "state": "RUNNABLE", "stack": ["A.b(A.java:1)"]},
            {"tid": "4", "name": "x", ? }
        """
        let (dumps, diagnostics) = JstackSupport.read(Array(text.utf8), form: .json, chunk: 9)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "jstack-json.syntax")
        #expect(diagnostic.line == 4)
        #expect(diagnostic.byteOffset == Array(text.utf8).firstIndex(of: UInt8(ascii: "?")))
        #expect(dumps.first?.dump.threads.map(\.name) == ["main", "x"])
    }

    @Test("JDK 25 Thread.dump_to_file JSON: states, locks and virtual threads; a monitor deadlock from blockedOn and monitorsOwned")
    func jsonLocks() throws {
        let text = """
        {"threadDump": {"processId": "9", "time": "2026-11-26T04:09:06.3Z", "runtimeVersion": "25.0.3+9-LTS",
          "threadContainers": [{"container": "<root>", "parent": null, "owner": null, "threads": [
            {"tid": "21", "name": "mon-A", "state": "BLOCKED", "blockedOn": "java.lang.Object@5284d47a",
             "stack": ["D.lambda$main$0(D.java:6)", "java.base\\/java.lang.Thread.run(Thread.java:1474)"],
             "monitorsOwned": [{"depth": 0, "locks": ["java.lang.Object@783b5b17"]}]},
            {"tid": "22", "name": "mon-B", "state": "BLOCKED", "blockedOn": "java.lang.Object@783b5b17",
             "stack": ["D.lambda$main$1(D.java:7)"],
             "monitorsOwned": [{"depth": 0, "locks": ["java.lang.Object@5284d47a"]}]},
            {"tid": "30", "time": "2026-11-26T04:03:27Z", "virtual": true, "name": "w\\u00e9", "state": "RUNNABLE", "stack": []}
          ], "threadCount": "3"}]}}
        """
        for chunk in [1, 5, 4096] {
            let (dumps, diagnostics) = JstackSupport.read(Array(text.utf8), form: .json, chunk: chunk)
            #expect(diagnostics.isEmpty)
            let analysed = try #require(dumps.first)
            #expect(analysed.dump.threads.map(\.name) == ["mon-A", "mon-B", "wé"])
            #expect(analysed.dump.threads[2].isVirtual)
            #expect(analysed.dump.frames[analysed.dump.threads[0].frames[1]] == "java.base/java.lang.Thread.run(Thread.java:1474)")
            let cycle = try #require(analysed.analysis.cycles.first)
            #expect(cycle.threads == [0, 1] && !cycle.reportedByJVM)
            #expect(cycle.locks.first??.description == "java.lang.Object@5284d47a")
        }
    }

    @Test("thread names that are not UTF-8 keep their bytes as \\xHH escapes and are reported once, as information")
    func invalidUTF8() throws {
        var bytes = Array("\"caf".utf8) + [0xE9, 0xFF] + Array("\" #5 prio=5 os_prio=0 tid=0x1 nid=0x2 runnable\n   java.lang.Thread.State: RUNNABLE\n".utf8)
        bytes += Array("\"b\u{FF}\" #6 prio=5 os_prio=0 tid=0x3 nid=0x4 runnable\n".utf8.map { $0 == 0xC3 ? 0xFE : $0 })
        let (dumps, diagnostics) = JstackSupport.read(bytes)
        #expect(dumps.first?.dump.threads.count == 2)
        #expect(dumps.first?.dump.threads.first?.name == "caf\\xE9\\xFF")
        #expect(diagnostics.map(\.code) == ["input.invalid-utf8"])
        #expect(diagnostics.first?.severity == .info && diagnostics.first?.line == 1)
    }

    @Test("an over-long line is cut and reported; the dump goes on")
    func overlong() throws {
        var text = "Full thread dump OpenJDK 64-Bit Server VM (17 mixed mode):\n\n"
        text += "\"a\" #1 prio=5 os_prio=0 tid=0x1 nid=0x2 runnable\n   java.lang.Thread.State: RUNNABLE\n\tat " + String(repeating: "x", count: 5000) + "\n"
        text += "\n\"b\" #2 prio=5 os_prio=0 tid=0x3 nid=0x4 runnable\n"
        var reader = ThreadDumpReader(form: .text, inputPath: "long", maxLineLength: 1000)
        Array(text.utf8).withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                reader.feed(UnsafeRawBufferPointer(rebasing: raw[start..<min(raw.count, start + 333)]))
                start += 333
            }
        }
        reader.finish()
        let dump = try #require(reader.takeDumps().first).dump
        #expect(dump.threads.map(\.name) == ["a", "b"])
        #expect(reader.diagnostics.map(\.code) == ["line.too-long"])
        #expect(reader.diagnostics.first?.line == 5)
    }

    @Test("--tz: fixed offsets, names and rejects")
    func timeZones() throws {
        let local = Double(Timestamp.daysFromCivil(year: 2026, month: 7, day: 1) * 86400 + 12 * 3600)
        #expect(try #require(DumpTimeZone("+02:00")).utc(fromLocal: local) == local - 7200)
        #expect(try #require(DumpTimeZone("-0530")).utc(fromLocal: local) == local + 19800)
        #expect(try #require(DumpTimeZone("Europe/Berlin")).utc(fromLocal: local) == local - 7200) // summer time
        #expect(try #require(DumpTimeZone("utc")).description == "UTC")
        #expect(DumpTimeZone("Mars/Olympus") == nil)
        #expect(DumpTimeZone("+25:00") == nil)
    }

    @Test("format detection: jstack with a prefix beats the CI-timestamp guess; JSON dumps; dump_to_file text")
    func detection() {
        func detect(_ text: String) -> String {
            Array(text.utf8).withUnsafeBytes { FormatDetector.detect($0).name }
        }
        #expect(detect(Self.killThree) == "jstack")
        #expect(detect("{\n  \"threadDump\": {\n    \"processId\": \"1\"\n") == "jstack-json")
        #expect(detect("31489\n2026-11-26T04:03:27.842781466Z\n25.0.3+9-LTS\n\n#3 \"main\" TIMED_WAITING 2026-11-26T04:03:27.843817617Z\n    at V.main(V.java:8)\n") == "jstack")
        #expect(detect("{\"other\": 1}\n") == "json")
        #expect(detect("a note that mentions a \"Full thread dump\" in passing\n") == "text")
    }
}
