#if canImport(Glibc)
import Glibc
#endif
import FaultlineCore

/// Knows whether a line of a test run is a test's own output, and which test's. Go:
/// between `=== RUN TestX` (or `=== CONT TestX`) and that test's `--- PASS/FAIL/SKIP`
/// line, and after `--- FAIL: TestX` until the next test or package line. TAP (node's
/// test runner, tape): after `# Subtest: X`, and any `# ` diagnostic line. A passing
/// test's output is not the build's environment: a `lookup … i/o timeout` it printed
/// broke nothing (SPEC §3 `none`), and one printed by a failing test is part of that
/// failure, not a cause that outranks it.
///
/// Works on a line's raw bytes, in the scanner's callback: `go test -v` prints a
/// `=== RUN` and a `--- PASS` line for every test, so these lines are read without
/// making a `String` or unwrapping them, and a pass becomes an event only for a test
/// whose own output was read into events.
struct TestOutputTracker {
    /// The literals whose lines move the tracker; scanned for beside the rule packs' anchors.
    static let anchors = ["=== RUN", "=== CONT", "--- PASS: ", "--- SKIP: ", "--- FAIL: ", "ok  \t", "FAIL\t",
                          "TAP version", "# Subtest: ", "not ok "]

    /// What a line says about the test run.
    enum Mark: Equatable {
        /// A test's output begins or goes on (`=== RUN`, `=== CONT`, `# Subtest:`), or a TAP stream
        /// begins: nothing to read in the line itself.
        case running
        /// The named test, whose output was read into events, passed (or was skipped): that output broke nothing.
        case passed(String)
        /// A test passed that printed nothing anyone read: nothing to read.
        case passedQuietly
        /// The named test failed (`--- FAIL:`, `not ok`); the line is read as a log line too.
        case failed(String)
        /// A Go package's result: `ok  \tpkg` (true) or `FAIL\tpkg` (false); no test is running any more.
        case packageDone(ok: Bool)
    }

    /// The running test's name, as bytes (a buffer reused line after line: no allocation per test).
    private var currentName: [UInt8] = []
    private var running = false
    /// The input is a TAP stream, whose `# ` lines are the tests' own diagnostics.
    private var tap = false
    /// FNV-1a hashes of the tests whose output lines were read into events (bounded): their passes are worth an event.
    private var readTests: Set<UInt64> = []
    static let readTestsLimit = 10_000

    /// How far into a line a marker is looked for: past a CI timestamp or a BuildKit prefix, not further.
    static let markerWindow = 96

    /// The test whose output follows, if one is running.
    var current: String? { running ? String(decoding: currentName, as: UTF8.self) : nil }

    /// Reads a raw line and returns its mark, updating the test whose output follows.
    mutating func observe(_ raw: UnsafeRawBufferPointer) -> Mark? {
        let head = UnsafeRawBufferPointer(rebasing: raw.prefix(Self.markerWindow))
        if let at = ByteText.find("=== ", in: head) {
            if let name = Self.nameRange(after: at + 4, word: "RUN", in: raw) ?? Self.nameRange(after: at + 4, word: "CONT", in: raw)
                ?? Self.nameRange(after: at + 4, word: "NAME", in: raw) {
                setCurrent(raw, name)
                return .running
            }
        }
        if let at = ByteText.find("--- ", in: head) {
            if let name = Self.nameRange(after: at + 4, word: "PASS:", in: raw) ?? Self.nameRange(after: at + 4, word: "SKIP:", in: raw) {
                let bytes = UnsafeRawBufferPointer(rebasing: raw[name])
                if running, bytes.elementsEqual(currentName) { running = false }
                return readTests.remove(Self.hash(bytes)) != nil ? .passed(String(decoding: bytes, as: UTF8.self)) : .passedQuietly
            }
            if let name = Self.nameRange(after: at + 4, word: "FAIL:", in: raw) {
                setCurrent(raw, name)
                return .failed(String(decoding: currentName, as: UTF8.self))
            }
        }
        if Self.startsField("ok  \t", in: head) {
            running = false
            return .packageDone(ok: true)
        }
        if Self.startsField("FAIL\t", in: head) {
            running = false
            return .packageDone(ok: false)
        }
        if ByteText.find("TAP version", in: head) != nil {
            tap = true
            return .running
        }
        if let at = ByteText.find("# Subtest: ", in: head) {
            let rest = raw[(at + 11)...]
            let end = rest.firstIndex(of: 0x0D) ?? rest.endIndex
            if end > rest.startIndex {
                setCurrent(raw, rest.startIndex..<min(end, rest.startIndex + 300))
                return .running
            }
        }
        if let at = ByteText.find("not ok ", in: head), Self.startsField(at: at, in: head) {
            running = false
            let rest = raw[(at + 7)...].drop(while: { $0 != 0x2D })   // the name follows `N - `
            return .failed(String(decoding: rest.dropFirst(2).prefix(300), as: UTF8.self))
        }
        return nil
    }

    /// The test whose output the raw line `raw` is, if any; remembers it, so that test's pass is reported.
    mutating func context(of raw: UnsafeRawBufferPointer) -> String? {
        if running {
            if readTests.count < Self.readTestsLimit { currentName.withUnsafeBytes { _ = readTests.insert(Self.hash($0)) } }
            return String(decoding: currentName, as: UTF8.self)
        }
        if tap, let first = raw.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }), first + 1 < raw.count,
           raw[first] == 0x23, raw[first + 1] == 0x20 {
            return "TAP diagnostics"
        }
        return nil
    }

    private mutating func setCurrent(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) {
        currentName.removeAll(keepingCapacity: true)
        currentName.append(contentsOf: raw[range])
        running = true
    }

    /// The name after `word` at `position` (then spaces): up to the next space, tab or CR, at most 300 bytes.
    static func nameRange(after position: Int, word: StaticString, in raw: UnsafeRawBufferPointer) -> Range<Int>? {
        let count = word.utf8CodeUnitCount
        guard position + count <= raw.count, let base = raw.baseAddress,
              memcmp(base + position, word.utf8Start, count) == 0 else { return nil }
        var start = position + count
        while start < raw.count, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
        var end = start
        while end < raw.count, end - start < 300, raw[end] != 0x20, raw[end] != 0x09, raw[end] != 0x0D { end += 1 }
        return end > start ? start..<end : nil
    }

    /// FNV-1a 64 of a name's bytes.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return value
    }

    /// Whether `marker` starts a field of `head`: at its start, or after a space (a CI timestamp).
    static func startsField(_ marker: StaticString, in head: UnsafeRawBufferPointer) -> Bool {
        guard let at = ByteText.find(marker, in: head) else { return false }
        return startsField(at: at, in: head)
    }

    static func startsField(at position: Int, in head: UnsafeRawBufferPointer) -> Bool {
        position == 0 || head[position - 1] == 0x20 || head[position - 1] == 0x09
    }
}
