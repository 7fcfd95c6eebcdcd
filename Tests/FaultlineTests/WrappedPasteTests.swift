import Foundation
import Testing
import FaultlineDecode

/// Real dumps as they arrive after a mail client or an issue tracker had them:
/// wrapped at 72 columns at spaces (the space dropped), cut hard at 76, or
/// quoted-printable (`=3D`, soft breaks `=` at 76). Read back, they must give
/// the same threads, frames, locks and findings as the dump itself.
@Suite("Dumps wrapped by mail clients and trackers")
struct WrappedPasteTests {
    /// The real dumps: a monitor deadlock (long `waiting to lock` lines) and a contended cache
    /// whose waiters park with `- parking to wait for` lines of 120 characters.
    static let dumps = ["monitor-deadlock/jstack.txt", "contention-sleeping-owner/jstack.txt", "reentrantlock-deadlock/jstack.txt"]

    enum Damage: String, CaseIterable, Sendable {
        case soft72 = "wrapped at 72 at spaces"
        case hard76 = "cut at 76"
        case quotedPrintable = "quoted-printable"
    }

    /// Wraps every line longer than `width` at its last space within the width, dropping the space
    /// (a token longer than the width stays whole, as mail clients leave it).
    static func softWrap(_ text: String, width: Int) -> String {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var rest = Substring(line)
            while rest.count > width {
                let window = rest.prefix(width + 1)
                guard let space = window.lastIndex(of: " "), space > rest.startIndex,
                      rest[rest.startIndex..<space].contains(where: { $0 != " " && $0 != "\t" }) else { break }
                out.append(String(rest[rest.startIndex..<space]))
                rest = rest[rest.index(after: space)...]
            }
            out.append(String(rest))
        }
        return out.joined(separator: "\n")
    }

    /// Cuts every line into pieces of `width` bytes.
    static func hardWrap(_ text: String, width: Int) -> String {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var bytes = Array(line.utf8)
            while bytes.count > width {
                out.append(String(decoding: bytes[0..<width], as: UTF8.self))
                bytes.removeFirst(width)
            }
            out.append(String(decoding: bytes, as: UTF8.self))
        }
        return out.joined(separator: "\n")
    }

    /// Quoted-printable as mail clients write it: `=` as `=3D`, lines of at most 76 with a soft break `=`.
    static func quotedPrintable(_ text: String) -> String {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded: [String] = []
            for character in line { encoded.append(character == "=" ? "=3D" : String(character)) }
            var current = ""
            for piece in encoded {
                if current.utf8.count + piece.utf8.count > 75 {
                    out.append(current + "=")
                    current = ""
                }
                current += piece
            }
            out.append(current)
        }
        return out.joined(separator: "\n")
    }

    static func damage(_ text: String, _ damage: Damage) -> String {
        switch damage {
        case .soft72: softWrap(text, width: 72)
        case .hard76: hardWrap(text, width: 76)
        case .quotedPrintable: quotedPrintable(text)
        }
    }

    /// What must survive the damage: each thread with its state, frames and lock lines, and the findings.
    static func shape(_ dumps: [ThreadDumpReader.AnalysedDump]) -> [String] {
        dumps.flatMap { analysed -> [String] in
            let dump = analysed.dump
            let threads = dump.threads.map { thread in
                let frames = thread.frames.map { dump.frames[$0] }.joined(separator: " | ")
                let locks = thread.locks.map { "\($0.kind) \($0.lock?.description ?? "-")" }.joined(separator: ", ")
                return "\(thread.name) #\(thread.javaID ?? -1) tid=\(thread.tid ?? 0) \(thread.state?.rawValue ?? "-") [\(locks)] \(frames)"
            }
            let findings = analysed.analysis.findings.map { "\($0.cause) \($0.subjects.sorted { $0.key < $1.key })" }
            return threads + findings
        }
    }

    @Test("a real dump, damaged as mail and trackers do, reads as the dump itself",
          arguments: dumps, Damage.allCases)
    func rejoined(_ file: String, _ damage: Damage) throws {
        let original = String(decoding: JstackSupport.bytes(JstackSupport.samples.appendingPathComponent(file)), as: UTF8.self)
        let damaged = Self.damage(original, damage)
        #expect(damaged != original, "the damage must change the file")
        let expected = Self.shape(JstackSupport.read(Array(original.utf8)).dumps)
        #expect(expected.contains { $0.hasPrefix("jvm_") }, "the sample has a finding")
        for chunk in [1 << 20, 4096, 7] {
            let (dumps, _) = JstackSupport.read(Array(damaged.utf8), chunk: chunk)
            let got = Self.shape(dumps)
            #expect(got == expected, "\(damage.rawValue), chunk \(chunk): \(zip(got, expected).first { $0 != $1 }.map { "\($0.0)\n≠ \($0.1)" } ?? "count \(got.count) vs \(expected.count)")")
        }
    }

    @Test("a fragment pasted without its header, cut at 76 by a tracker: the frame and the lock line are joined")
    func fragmentWrappedByTracker() throws {
        let text = """
        "pool-1-thread-2" #14 prio=5 os_prio=0 tid=0x00007f3c8c1c9800 nid=0x2c1f waiting for monitor entry [0x00007f3c6d5fe000]
           java.lang.Thread.State: BLOCKED (on object monitor)
        \tat com.example.inventory.StockLedger.reserveAgainstWarehouse(StockLedger.java:214)
        \t- waiting to lock <0x00000000d5a3c2e8> (a com.example.inventory.StockLedger)
        \tat java.lang.Thread.run(Thread.java:748)

        """
        let cut = Self.hardWrap(text, width: 76)
        #expect(cut.split(separator: "\n").count > text.split(separator: "\n").count + 1)
        let dump = try #require(JstackSupport.read(Array(cut.utf8)).dumps.first).dump
        let thread = try #require(dump.threads.first)
        #expect(dump.threads.count == 1 && thread.name == "pool-1-thread-2" && thread.tid == 0x00007f3c8c1c9800)
        #expect(thread.frames.map { dump.frames[$0] } == ["com.example.inventory.StockLedger.reserveAgainstWarehouse(StockLedger.java:214)",
                                                         "java.lang.Thread.run(Thread.java:748)"])
        #expect(thread.awaitedLock?.description == "0x00000000d5a3c2e8 (com.example.inventory.StockLedger)")
        #expect(dump.interleavedLines == 0)
    }

    @Test("lines that only look unfinished are left alone: ThreadInfo lock lines, `- None`, an application line after a frame")
    func noFalseJoins() throws {
        let text = """
        "worker-4" Id=13 BLOCKED on java.lang.Object@32a88bc2 owned by "worker-0" Id=9
        \tat com.example.Work.run(Work.java:29)
        \t-  blocked on java.lang.Object@32a88bc2
        \tat java.lang.Thread.run(Thread.java:722)

        """
        let dump = try #require(JstackSupport.read(Array(text.utf8)).dumps.first).dump
        let thread = try #require(dump.threads.first)
        #expect(thread.frames.map { dump.frames[$0] } == ["com.example.Work.run(Work.java:29)", "java.lang.Thread.run(Thread.java:722)"])
        #expect(thread.locks.allSatisfy { $0.lock?.description == "java.lang.Object@32a88bc2" })
        #expect(dump.interleavedLines == 0)
    }
}
