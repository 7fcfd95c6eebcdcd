import FaultlineCore

/// Knows whether a line of a test run is a test's own output, and which test's. Go:
/// between `=== RUN TestX` (or `=== CONT TestX`) and that test's `--- PASS/FAIL/SKIP`
/// line, and after `--- FAIL: TestX` until the next test or package line. TAP (node's
/// test runner, tape): after `# Subtest: X`, and any `# ` diagnostic line. A passing
/// test's output is not the build's environment: a `lookup … i/o timeout` it printed
/// broke nothing (SPEC §3 `none`), and one printed by a failing test is part of that
/// failure, not a cause that outranks it.
struct TestOutputTracker {
    /// The literals whose lines move the tracker; scanned for beside the rule packs' anchors.
    static let anchors = ["=== RUN", "=== CONT", "--- PASS: ", "--- SKIP: ", "--- FAIL: ", "ok  \t", "FAIL\t",
                          "TAP version", "# Subtest: ", "not ok "]

    /// What a line says about the test run.
    enum Mark: Equatable {
        /// A test's output begins or goes on.
        case running(String)
        /// The named test passed (or was skipped): its output broke nothing.
        case passed(String)
        /// The named test failed; lines after it are its report.
        case failed(String)
        /// A package's result: no test is running any more.
        case packageDone
    }

    private(set) var current: String?
    /// The input is a TAP stream, whose `# ` lines are the tests' own diagnostics.
    private var tap = false

    /// The test whose output `text` is, if any.
    func context(of text: String) -> String? {
        if let current { return current }
        return tap && text.hasPrefix("# ") ? "TAP diagnostics" : nil
    }

    /// Reads `text` (a line's payload) and returns its mark, updating the test whose output follows.
    mutating func observe(_ text: String) -> Mark? {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
        if let name = Self.name(after: "=== RUN", in: trimmed) ?? Self.name(after: "=== CONT", in: trimmed) {
            current = name
            return .running(name)
        }
        if let name = Self.name(after: "--- PASS: ", in: trimmed) ?? Self.name(after: "--- SKIP: ", in: trimmed) {
            if current == name { current = nil }
            return .passed(name)
        }
        if let name = Self.name(after: "--- FAIL: ", in: trimmed) {
            current = name
            return .failed(name)
        }
        if trimmed.hasPrefix("TAP version") {
            tap = true
            return nil
        }
        if trimmed.hasPrefix("# Subtest: ") {
            let name = String(trimmed.dropFirst("# Subtest: ".count).prefix(300))
            current = name
            return .running(name)
        }
        if trimmed.hasPrefix("not ok ") {
            current = nil
            return .failed(String(trimmed.drop(while: { $0 != "-" }).dropFirst(2).prefix(300)))
        }
        if text.hasPrefix("ok  \t") || text.hasPrefix("FAIL\t") || text == "PASS" || text == "FAIL" {
            current = nil
            return .packageDone
        }
        return nil
    }

    /// The test name after `marker`: up to the first space (`--- PASS: TestX (0.00s)`).
    static func name(after marker: String, in text: Substring) -> String? {
        guard text.hasPrefix(marker) else { return nil }
        let rest = text.dropFirst(marker.count).drop(while: { $0 == " " || $0 == "\t" })
        let name = rest.prefix(while: { $0 != " " && $0 != "\t" })
        return name.isEmpty ? nil : String(name.prefix(300))
    }
}
