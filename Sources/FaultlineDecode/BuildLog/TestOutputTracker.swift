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
        /// A test passed that printed nothing anyone read.
        case passedQuietly
        /// The named test failed (`--- FAIL:`, `not ok`); the line is read as a log line too.
        case failed(String)
        /// A Go package's result: `ok  \tpkg` (true) or `FAIL\tpkg` (false); no test is running any more.
        case packageDone(ok: Bool)
    }

    private(set) var current: String?
    /// The input is a TAP stream, whose `# ` lines are the tests' own diagnostics.
    private var tap = false
    /// Tests whose output lines were read into events (bounded): their passes are worth an event.
    private var readTests: Set<String> = []
    static let readTestsLimit = 10_000

    /// How far into a line a marker is looked for: past a CI timestamp or a BuildKit prefix, not further.
    static let markerWindow = 96

    /// Reads a raw line and returns its mark, updating the test whose output follows.
    mutating func observe(_ raw: UnsafeRawBufferPointer) -> Mark? {
        let head = UnsafeRawBufferPointer(rebasing: raw.prefix(Self.markerWindow))
        if let name = Self.name(after: "=== RUN", in: raw, head: head) ?? Self.name(after: "=== CONT", in: raw, head: head) {
            current = name
            return .running
        }
        if let name = Self.name(after: "--- PASS: ", in: raw, head: head) ?? Self.name(after: "--- SKIP: ", in: raw, head: head) {
            if current == name { current = nil }
            return readTests.remove(name) != nil ? .passed(name) : .passedQuietly
        }
        if let name = Self.name(after: "--- FAIL: ", in: raw, head: head) {
            current = name
            return .failed(name)
        }
        if Self.startsField("ok  \t", in: head) {
            current = nil
            return .packageDone(ok: true)
        }
        if Self.startsField("FAIL\t", in: head) {
            current = nil
            return .packageDone(ok: false)
        }
        if ByteText.find("TAP version", in: head) != nil {
            tap = true
            return .running
        }
        if let name = Self.name(after: "# Subtest: ", in: raw, head: head, wholeRest: true) {
            current = name
            return .running
        }
        if let at = ByteText.find("not ok ", in: head), Self.startsField(at: at, in: head) {
            current = nil
            let rest = raw[(at + 7)...].drop(while: { $0 != 0x2D })   // the name follows `N - `
            return .failed(String(decoding: rest.dropFirst(2).prefix(300), as: UTF8.self))
        }
        return nil
    }

    /// The test whose output the raw line `raw` is, if any; remembers it, so that test's pass is reported.
    mutating func context(of raw: UnsafeRawBufferPointer) -> String? {
        let name: String
        if let current {
            name = current
        } else if tap, let first = raw.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }), first + 1 < raw.count,
                  raw[first] == 0x23, raw[first + 1] == 0x20 {
            name = "TAP diagnostics"
        } else {
            return nil
        }
        if readTests.count < Self.readTestsLimit { readTests.insert(name) }
        return name
    }

    /// Whether `marker` starts a field of `head`: at its start, or after a space (a CI timestamp).
    static func startsField(_ marker: StaticString, in head: UnsafeRawBufferPointer) -> Bool {
        guard let at = ByteText.find(marker, in: head) else { return false }
        return startsField(at: at, in: head)
    }

    static func startsField(at position: Int, in head: UnsafeRawBufferPointer) -> Bool {
        position == 0 || head[position - 1] == 0x20 || head[position - 1] == 0x09
    }

    /// The test name after `marker` (found in `head`): up to the first space, or the whole rest of the line.
    static func name(after marker: StaticString, in raw: UnsafeRawBufferPointer, head: UnsafeRawBufferPointer,
                     wholeRest: Bool = false) -> String? {
        guard let at = ByteText.find(marker, in: head) else { return nil }
        let rest = raw[(at + marker.utf8CodeUnitCount)...].drop(while: { $0 == 0x20 || $0 == 0x09 })
        let name = wholeRest ? rest.prefix(while: { $0 != 0x0D }) : rest.prefix(while: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D })
        return name.isEmpty ? nil : String(decoding: name.prefix(300), as: UTF8.self)
    }
}
