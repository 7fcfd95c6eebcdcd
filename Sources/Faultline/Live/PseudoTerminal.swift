import CPseudoTerminal
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal for a command run under `faultline run`, so the command
/// keeps a terminal of its own (colours, progress bars, prompts, `isatty`
/// checks) while Faultline reads every byte it shows: the child gets the
/// terminal side (its controlling terminal, standard input, output and error),
/// Faultline keeps the other side (`controller`), as `script(1)` and `expect`
/// do.
///
/// The terminal side starts with the window size of Faultline's own terminal
/// and the modes of its standard input when that is a terminal (echo, erase
/// character), so the command sees what it would see without Faultline.
public final class PseudoTerminal {
    /// Faultline's side: what the command writes is read here, and what is written here is its input.
    public let controller: Int32
    /// The path of the command's side (`/dev/pts/N`), opened by the child after it starts a session.
    public let terminalPath: String

    /// Why a pseudo-terminal could not be made.
    public struct Failure: Error, Sendable {
        public var message: String
    }

    /// Opens a pseudo-terminal whose size and modes are copied from `like` (a terminal descriptor), where it is one.
    public init(like: [Int32]) throws(Failure) {
        var name = [CChar](repeating: 0, count: 128)
        let fd = fl_pseudo_terminal_open(&name, name.count)
        guard fd >= 0 else { throw Failure(message: "no pseudo-terminal: " + String(cString: strerror(errno))) }
        controller = fd
        terminalPath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Modes are set on the terminal side, which Faultline opens once, without making it its own terminal.
        let side = open(terminalPath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        if side >= 0 {
            var modes = termios()
            if like.contains(where: { isatty($0) == 1 && tcgetattr($0, &modes) == 0 }) {
                _ = tcsetattr(side, TCSANOW, &modes)
            }
            Glibc.close(side)
        }
        for source in like where copyWindowSize(from: source) { break }
    }

    /// Gives the command's side the window size of `source` (a terminal); false when `source` has none.
    @discardableResult
    public func copyWindowSize(from source: Int32) -> Bool {
        var size = winsize()
        guard ioctl(source, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return false }
        // The kernel sends SIGWINCH to the command's foreground process group.
        return ioctl(controller, UInt(TIOCSWINSZ), &size) == 0
    }

    /// Sends `signal` to the process group in the foreground of the command's terminal (as the
    /// terminal's own Ctrl-C would), or to `fallback` when there is none.
    public func signalForeground(_ signal: Int32, fallback: Int32) {
        let group = tcgetpgrp(controller)
        if group > 0 {
            kill(-group, signal)
        } else {
            kill(fallback, signal)
        }
    }

    /// Closes Faultline's side (the command's side gets a hang-up).
    public func close() {
        Glibc.close(controller)
    }
}
