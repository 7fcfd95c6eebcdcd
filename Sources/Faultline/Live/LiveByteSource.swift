#if canImport(Glibc)
import Glibc
#endif

/// What reading a live source gave.
public enum LiveRead: Sendable, Equatable {
    /// This many bytes arrived.
    case data(Int)
    /// Nothing new yet; the source may still grow.
    case nothing
    /// The source ended (end of file on a pipe or standard input).
    case end
    /// Reading failed; the message says why.
    case failed(String)
}

/// Where the bytes of a live stream come from: a descriptor (standard input,
/// a child's pipe) or a file that is still being written (`FollowedFile`).
public protocol LiveByteSource: AnyObject {
    /// A descriptor `poll(2)` can wait on, or nil for a source checked on a timer.
    var descriptor: Int32? { get }
    /// Reads what has arrived, as `read(2)` does: no more than one call's worth.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> LiveRead
    /// Lets go of the source.
    func close()
}

/// A readable descriptor: standard input, the reading end of a pipe, or the
/// controller side of a `PseudoTerminal`.
public final class DescriptorSource: LiveByteSource {
    public let descriptor: Int32?
    private let ownsDescriptor: Bool
    private let hangUpIsEnd: Bool
    private var closed = false

    /// - Parameters:
    ///   - owns: close the descriptor with the source (a pipe), not standard input.
    ///   - hangUpIsEnd: `EIO` is the end of the stream, not a failure: Linux's answer on a pseudo-terminal's
    ///     controller side once every process has closed the terminal side.
    public init(descriptor: Int32, owns: Bool, hangUpIsEnd: Bool = false) {
        self.descriptor = descriptor
        ownsDescriptor = owns
        self.hangUpIsEnd = hangUpIsEnd
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> LiveRead {
        guard let fd = descriptor, !closed, let base = buffer.baseAddress else { return .end }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n > 0 { return .data(n) }
            if n == 0 { return .end }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .nothing
            case EIO where hangUpIsEnd: return .end
            default: return .failed(String(cString: strerror(errno)))
            }
        }
    }

    public func close() {
        guard !closed else { return }
        closed = true
        if ownsDescriptor, let descriptor { _ = Glibc.close(descriptor) }
    }

    deinit { close() }
}
