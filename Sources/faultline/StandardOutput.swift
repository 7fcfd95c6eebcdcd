#if canImport(Glibc)
import Glibc
#endif

/// Standard output for every command, written with `write(2)`.
///
/// The first write that fails ends the process: a full disk or a closed
/// standard output is told once on standard error (`faultline: cannot write
/// standard output: No space left on device`) with exit status 1; a reader
/// that went away (`faultline dns big.pcap | head -1`) ends it by `SIGPIPE`,
/// quietly and at once, as conventional tools end. `prepare()` runs first in
/// `main`: it puts `/dev/null` on a closed descriptor 0, 1 or 2, so no file
/// the command opens later can take its number (standard output closed stays
/// an error, never writes into a database), and gives `SIGPIPE` its default
/// action back when a parent left it ignored.
enum StandardOutput {
    /// Whether descriptor 1 was closed when the process started.
    nonisolated(unsafe) private(set) static var wasClosed = false

    static func prepare() {
        for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)
            if descriptor == 1 && opened == 1 { wasClosed = true }
        }
        signal(SIGPIPE, SIG_DFL)
    }

    /// Writes all of `bytes`, or ends the process (`fail`).
    static func write(_ bytes: UnsafeRawBufferPointer) {
        if wasClosed { fail(EBADF) }
        guard var base = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(1, base, left)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { fail(n < 0 ? errno : ENOSPC) }
            base += n
            left -= n
        }
    }

    static func write(_ text: String) {
        var copy = text
        copy.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Ends the process after a failed write to `name` (standard output unless said):
    /// by `SIGPIPE` for a reader that went away, else with one line on standard error and status 1.
    static func fail(_ code: Int32, name: String = "standard output") -> Never {
        if code == EPIPE {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
        writeStderr("faultline: cannot write \(name): \(String(cString: strerror(code)))\n")
        _exit(1)
    }
}
