#if canImport(Glibc)
import Glibc
#endif

/// Writing a whole text (a report) to a file with `write(2)`, every error told:
/// a full disk or a closed descriptor is a reason, not a silent short file.
public enum TextFile {
    /// Writes `text` to a new or truncated file at `path`.
    /// - Returns: why it could not be written, or nil.
    public static func write(_ text: String, to path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        var copy = text
        var failure: String?
        copy.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let n = Glibc.write(fd, base + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    failure = n < 0 ? String(cString: strerror(errno)) : "nothing written"
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        return failure
    }
}
