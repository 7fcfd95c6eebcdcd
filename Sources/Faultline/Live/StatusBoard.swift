#if canImport(Glibc)
import Glibc
#endif

/// Shows live statuses on standard error. On a terminal, one status line kept
/// at the bottom: cleared before passed-through output is written and redrawn
/// after it when that output ended its line. Otherwise plain lines, each
/// status at most once.
public final class StatusBoard {
    /// How statuses are shown.
    public enum Mode: Sendable {
        /// A line redrawn in place at the bottom of a terminal.
        case terminal
        /// One plain line per new status (a log file, a CI log).
        case lines
        /// Nothing until the report.
        case silent
    }

    public let mode: Mode
    private let sink: OutputSink
    private var current: String?
    private var drawn = false
    private var shown: Set<String> = []
    /// The passthrough outputs, to know whether one sharing this descriptor stopped mid-line.
    private var outputs: [OutputSink] = []

    /// - Parameters:
    ///   - mode: nil chooses `.terminal` when standard error is a terminal, else `.lines`.
    public init(descriptor: Int32 = 2, mode: Mode? = nil) {
        sink = OutputSink(descriptor: descriptor)
        self.mode = mode ?? (isatty(descriptor) == 1 ? .terminal : .lines)
    }

    /// Shows a new status (a line once per `key`; a terminal's status line is replaced).
    public func show(_ text: String, key: String) {
        switch mode {
        case .silent:
            return
        case .lines:
            guard shown.insert(key).inserted else { return }
            emit(startOfLine + text + "\n")
        case .terminal:
            current = text
            redraw(outputs: outputs)
        }
    }

    /// Says something once, on a line of its own, whatever the mode but silent (a stall, a write error).
    public func note(_ text: String) {
        guard mode != .silent else { return }
        clear()
        emit(startOfLine + text + "\n")
        redraw(outputs: outputs)
    }

    /// A newline first when passed-through output on the same descriptor stopped mid-line.
    private var startOfLine: String {
        outputs.contains { $0.descriptor == sink.descriptor && !$0.atLineStart } ? "\n" : ""
    }

    /// Before passed-through bytes go to `output`: a status line on the same terminal is cleared.
    public func beforeOutput(_ output: OutputSink) {
        if drawn && output.isTerminal { clear() }
    }

    /// After passed-through bytes went out: the status line comes back below complete lines.
    public func afterOutput(_ outputs: [OutputSink]) {
        self.outputs = outputs
        if !drawn { redraw(outputs: outputs) }
    }

    /// Clears the status line for good (before the report).
    public func finish() {
        clear()
        current = nil
    }

    private func redraw(outputs: [OutputSink]) {
        guard mode == .terminal, let current else { return }
        // Mid-line output on the terminal would be overwritten: wait for its newline.
        if outputs.contains(where: { $0.isTerminal && !$0.atLineStart }) { return }
        clear()
        emit(Self.fit(current, width: Self.width(of: sink.descriptor)))
        drawn = true
    }

    private func clear() {
        guard drawn else { return }
        emit("\r\u{1B}[K")
        drawn = false
    }

    private func emit(_ text: String) {
        var copy = text
        copy.withUTF8 { _ = sink.write(UnsafeRawBufferPointer($0)) }
    }

    /// The text cut to `width` characters (a drawn line must not wrap, or `\r` would not reach its start).
    static func fit(_ text: String, width: Int) -> String {
        guard text.count > width, width > 1 else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    static func width(of descriptor: Int32) -> Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 100
    }
}
