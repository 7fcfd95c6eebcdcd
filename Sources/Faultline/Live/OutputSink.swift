#if canImport(Glibc)
import Glibc
#endif

/// Where passed-through bytes go: every byte written as it arrived, with one
/// `write(2)` per chunk (more only when the descriptor takes part of it), no
/// buffering and no line splitting. The first write error is kept and writing stops.
public final class OutputSink {
    public let descriptor: Int32
    /// Whether the descriptor is a terminal (the status line must be cleared before writing).
    public let isTerminal: Bool
    /// The first write error (`Broken pipe`, `No space left on device`), once it happened.
    public private(set) var error: String?
    /// Whether the last byte written ended a line (or nothing was written yet).
    public private(set) var atLineStart = true

    /// - Parameter isTerminal: nil asks `isatty`.
    public init(descriptor: Int32, isTerminal: Bool? = nil) {
        self.descriptor = descriptor
        self.isTerminal = isTerminal ?? (isatty(descriptor) == 1)
    }

    /// Writes all of `bytes`; false once writing has failed.
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard error == nil else { return false }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return true }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                error = n < 0 ? String(cString: strerror(errno)) : "nothing written"
                return false
            }
        }
        atLineStart = bytes[bytes.count - 1] == 0x0A
        return true
    }
}
