#if canImport(Glibc)
import Glibc
#endif

/// A terminal put in raw mode while Faultline passes its keystrokes to a
/// command's own terminal (Ctrl-C, Ctrl-Z and line editing then happen on the
/// command's side), and put back as it was by `restore()`.
public final class RawTerminalMode {
    private let descriptor: Int32
    private var saved: termios?

    /// Puts `descriptor` in raw mode if it is a terminal; otherwise does nothing.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        var modes = termios()
        guard isatty(descriptor) == 1, tcgetattr(descriptor, &modes) == 0 else { return }
        saved = modes
        var raw = modes
        cfmakeraw(&raw)
        // Output keeps its newline translation: Faultline's own statuses and report are written to this
        // terminal too (the command's bytes arrive with the `\r\n` its own terminal side made of them).
        raw.c_oflag |= tcflag_t(OPOST | ONLCR)
        _ = tcsetattr(descriptor, TCSAFLUSH, &raw)
    }

    /// Whether the terminal was put in raw mode.
    public var isActive: Bool { saved != nil }

    /// Puts the terminal back as it was (once).
    public func restore() {
        guard var modes = saved else { return }
        saved = nil
        _ = tcsetattr(descriptor, TCSAFLUSH, &modes)
    }

    deinit { restore() }
}
