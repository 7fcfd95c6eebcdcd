import FaultlineCore

/// What a Go test binary printed before its package's `ok` broke nothing. Without
/// `-v` there is no `=== RUN` around a test's output, so `offline as expected: lookup
/// proxy.golang.org on …: i/o timeout`, then `PASS` and `ok  \tpkg 1.5s`, can only be
/// told apart from the build's own failure afterwards: a line is a passing package's
/// output when the next mark after it in its input and step — a package's `ok`, a
/// failed step, a test or build failure — is an `ok`.
struct PassingPackageOutput {
    private struct Mark {
        var line: Int
        var passed: Bool
        var step: String?
    }

    /// Marks per input, in line order (an input's events arrive in line order).
    private var marks: [Int: [Mark]] = [:]
    private var count = 0
    /// Marks remembered at most.
    static let limit = 10_000

    /// Whether any package passed: without one, nothing is cleared.
    private(set) var anyPassed = false

    /// A package's `ok` line.
    mutating func passed(_ event: Event) {
        anyPassed = true
        add(event, passed: true)
    }

    /// A line that ends a package's output otherwise: a failed step or build, a test or build failure.
    mutating func failed(_ event: Event) { add(event, passed: false) }

    private mutating func add(_ event: Event, passed: Bool) {
        guard let line = event.location.line, count < Self.limit else { return }
        count += 1
        marks[event.location.input, default: []].append(Mark(line: line, passed: passed, step: event.step?.key))
    }

    /// Whether `event`, a log line outside any `=== RUN` test, was printed by a package whose tests then passed.
    /// A failure of the code itself (`--- FAIL:`, a compile error) is never cleared: it is what a mark is.
    func clears(_ event: Event) -> Bool {
        guard anyPassed, event.layer != .build, event.location.frame == nil, event.testContext == nil, let line = event.location.line,
              let list = marks[event.location.input] else { return false }
        // The first mark after the line (binary search: the list is in line order).
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].line <= line { low = middle + 1 } else { high = middle }
        }
        guard low < list.count else { return false }
        return list[low].passed && list[low].step == event.step?.key
    }
}
