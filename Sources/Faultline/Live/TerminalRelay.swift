#if canImport(Glibc)
import Glibc
#endif

/// What `faultline run` does around a command that has a `PseudoTerminal` of
/// its own, so that sitting at Faultline's terminal is like sitting at the
/// command's: keystrokes (Faultline's standard input) go to the command's
/// terminal with Faultline's terminal in raw mode meanwhile (Ctrl-C, Ctrl-Z and
/// line editing then happen on the command's side), window-size changes follow,
/// and a signal sent to Faultline reaches the command's foreground process group.
public final class TerminalRelay {
    public let terminal: PseudoTerminal
    private let rawMode: RawTerminalMode
    private let input: Int32
    /// Keystrokes go out through the same all-or-error writer as passed-through output.
    private let keystrokes: OutputSink

    /// Puts `input` (standard input) in raw mode when it is a terminal. Make it after `terminal`, which copies
    /// the modes `input` had before.
    public init(terminal: PseudoTerminal, input: Int32 = 0) {
        self.terminal = terminal
        self.input = input
        rawMode = RawTerminalMode(descriptor: input)
        keystrokes = OutputSink(descriptor: terminal.controller, isTerminal: false)
    }

    /// Passes what standard input has to the command's terminal.
    /// - Returns: false once standard input has ended (then stop watching it); an input that is not a
    ///   terminal ends with the terminal's end-of-file character, as typing Ctrl-D would.
    public func forwardInput() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if n < 0 && (errno == EINTR || errno == EAGAIN) { return true }
        guard n > 0 else {
            if !rawMode.isActive { _ = [Self.endOfFile].withUnsafeBytes { keystrokes.write($0) } }
            return false
        }
        _ = buffer.withUnsafeBytes { keystrokes.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        return true
    }

    /// Faultline's terminal changed size: the command's terminal follows.
    public func windowChanged(from descriptors: [Int32] = [1, 0, 2]) {
        for descriptor in descriptors where terminal.copyWindowSize(from: descriptor) { return }
    }

    /// A signal sent to Faultline (INT, TERM, HUP, QUIT) goes to the command's foreground process group.
    public func forward(_ signal: Int32, child: ChildProcess) {
        guard child.ending == nil else { return }
        terminal.signalForeground(signal, fallback: child.pid)
    }

    /// Puts Faultline's terminal back as it was (before the report is written to it).
    public func restore() {
        rawMode.restore()
    }

    /// `VEOF`'s usual value, Ctrl-D.
    static let endOfFile: UInt8 = 0x04
}
