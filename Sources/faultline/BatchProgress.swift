#if canImport(Glibc)
import Glibc
#endif
import Faultline

/// Progress of a batch on standard error: on a terminal a bar redrawn a few
/// times a second (cases done of total, rate, time left, failed builds and
/// unreadable cases so far); otherwise a plain line every few seconds; nothing
/// when quiet. Called only from the batch's emit, never twice at once.
final class BatchProgress: @unchecked Sendable {
    enum Mode { case bar, lines, quiet }

    private let mode: Mode
    private var total = 0
    private var done = 0
    private var failed = 0
    private var unreadable = 0
    private let start = BatchProgress.now()
    private var lastDraw = 0.0
    private var drawn = false

    init(mode: Mode) { self.mode = mode }

    func planned(_ count: Int) { total = count }

    func record(_ result: BatchResult?) {
        done += 1
        if let result {
            if result.report.verdict == .failure { failed += 1 }
            if result.hasUnreadableInput { unreadable += 1 }
        }
        let now = Self.now()
        let interval = mode == .bar ? 0.2 : 5.0
        guard mode != .quiet, now - lastDraw >= interval || done == total else { return }
        lastDraw = now
        draw(now: now)
    }

    /// Ends the bar's line (a terminal) so what follows starts on a fresh one.
    func finish() {
        if mode == .bar && drawn { write("\n") }
    }

    private func draw(now: Double) {
        let elapsed = max(0.001, now - start)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Int((Double(total - done) / rate).rounded()) : 0
        let counts = "\(done)/\(total) cases  \(Self.decimal(rate))/s  ETA \(eta / 60):\(Self.twoDigits(eta % 60))  \(failed) failed builds, \(unreadable) unreadable"
        switch mode {
        case .bar:
            let width = 24
            let filled = total > 0 ? min(width, done * width / total) : width
            write("\r\u{1B}[K[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] " + counts)
            drawn = true
        case .lines:
            write("faultline batch: " + counts + "\n")
        case .quiet:
            break
        }
    }

    private func write(_ text: String) {
        var copy = text
        copy.withUTF8 { _ = fwriteStderr($0) }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
