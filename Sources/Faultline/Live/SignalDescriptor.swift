import CSignalFD
#if canImport(Glibc)
import Glibc
#endif

/// Signals read from a descriptor (`signalfd(2)`) instead of handled
/// asynchronously: they are blocked in this thread (and the threads it starts
/// later), and the live session's `poll` wakes when one is pending.
public final class SignalDescriptor {
    /// One signal received.
    public struct Received: Sendable {
        public var signal: Int32
        /// Sent by a process with `kill` (not by the terminal driver, which signals the whole foreground group).
        public var sentByProcess: Bool
        public var senderPID: Int32
    }

    public let descriptor: Int32
    private var previous = sigset_t()
    private var restored = false

    /// Blocks `signals` and opens a descriptor for them; nil when the system refuses.
    public init?(signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        guard pthread_sigmask(SIG_BLOCK, &set, &previous) == 0 else { return nil }
        let fd = fl_signalfd_open(&set)
        guard fd >= 0 else {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            return nil
        }
        descriptor = fd
    }

    /// The next pending signal, or nil when none is.
    public func next() -> Received? {
        var info = fl_signal_info()
        guard fl_signalfd_read(descriptor, &info) == 1 else { return nil }
        // SI_USER (kill) and SI_QUEUE (sigqueue) are other processes; SI_KERNEL is the terminal's Ctrl-C.
        return Received(signal: info.signo, sentByProcess: info.from_process != 0, senderPID: info.pid)
    }

    /// Unblocks the signals again and closes the descriptor.
    public func restore() {
        guard !restored else { return }
        restored = true
        close(descriptor)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    deinit { restore() }
}
