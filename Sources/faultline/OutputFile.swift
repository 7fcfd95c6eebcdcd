#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// A file (or standard output, `-`) that lines are appended to with `write(2)`, unbuffered,
/// so each NDJSON line is out as soon as its case is done. The first failed write ends the
/// process as `StandardOutput.fail` says (rows already stored in a database stay committed).
final class OutputFile: Sendable {
    private let fd: Int32
    private let path: String

    /// Creates or truncates `path`; `-` is standard output.
    init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 1
            return
        }
        let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        fd = opened
    }

    deinit { if fd != 1 { close(fd) } }

    func writeLine(_ line: String) {
        if fd == 1 {
            StandardOutput.write(line + "\n")
            return
        }
        var text = line + "\n"
        text.withUTF8 { bytes in
            guard var base = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                let n = write(fd, base, left)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { StandardOutput.fail(n < 0 ? errno : ENOSPC, name: path) }
                base += n
                left -= n
            }
        }
    }
}
