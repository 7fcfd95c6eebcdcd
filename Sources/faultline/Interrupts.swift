#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (`SIGINT`) or `SIGTERM` during a long `analyze` or `batch`: the
/// process ends at once, with one line on standard error that says so and
/// status 128 + the signal (130 for Ctrl-C), as shells expect. Nothing is
/// half-written: reports are written whole at the end, NDJSON rows whole with
/// one `write(2)` each, and every case in `--db` is one committed transaction
/// (WAL), so `--resume` goes on from the last case stored.
enum Interrupts {
    /// The line written when a signal arrives; set once, before the handler is installed.
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?

    static func install(message text: String) {
        message = strdup(text + "\n")
        // A parent (a test runner, a supervisor) may have left them blocked: take them back.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for signal in [SIGINT, SIGTERM] {
            Glibc.signal(signal) { number in
                // Only async-signal-safe calls here: write(2) and _exit(2).
                if let line = Interrupts.message { _ = write(2, line, strlen(line)) }
                _exit(128 + number)
            }
        }
    }
}
