import Foundation

/// Where workers hand finished cases: passes them on one at a time (the
/// caller's `emit` never runs twice at once), in completion order or — for
/// `sorted` — in rank order through a reorder buffer that the reading
/// thread keeps bounded by waiting (`waitForRoom`) before it dispatches a
/// case too far ahead of the next one due.
final class ResultSink: @unchecked Sendable {
    private let condition = NSCondition()
    private let sorted: Bool
    private let window: Int
    private let emit: (BatchResult) -> Void
    private let onSkip: (String) -> Void
    private var pending: [Int: BatchResult] = [:]
    private var next = 0
    private(set) var summary = BatchSummary()

    init(sorted: Bool, window: Int, emit: @escaping (BatchResult) -> Void, skipped: @escaping (String) -> Void = { _ in }) {
        self.sorted = sorted
        self.window = max(1, window)
        self.emit = emit
        onSkip = skipped
    }

    /// Waits until a case of rank `rank` may be dispatched without the reorder buffer growing past its window.
    func waitForRoom(rank: Int) {
        guard sorted else { return }
        condition.lock()
        while rank - next >= window { condition.wait() }
        condition.unlock()
    }

    /// A finished case.
    func deliver(_ result: BatchResult) {
        condition.lock()
        defer { condition.unlock() }
        count(result)
        guard sorted else {
            emit(result)
            return
        }
        pending[result.rank] = result
        advance()
    }

    /// A case skipped (already stored): it takes its rank's turn and emits nothing.
    func skipped(rank: Int, key: String) {
        condition.lock()
        defer { condition.unlock() }
        summary.skipped += 1
        summary.cases += 1
        onSkip(key)
        guard sorted else { return }
        pending[rank] = nil
        skippedRanks.insert(rank)
        advance()
    }

    private var skippedRanks: Set<Int> = []

    private func advance() {
        while true {
            if let result = pending.removeValue(forKey: next) {
                emit(result)
            } else if skippedRanks.remove(next) == nil {
                break
            }
            next += 1
        }
        condition.broadcast()
    }

    private func count(_ result: BatchResult) {
        summary.cases += 1
        summary.analysed += 1
        if result.hasUnreadableInput { summary.unreadable += 1 }
        switch result.report.verdict {
        case .failure: summary.failures += 1
        case .success: summary.successes += 1
        case .unknown: summary.unknown += 1
        }
        summary.bytes += result.report.inputs.reduce(0) { $0 + $1.bytes }
    }
}
