#if canImport(Glibc)
import Glibc
#endif

/// A file that is still being written, read the way `tail -F` follows it
/// (from its first byte): when the name comes to point at another file
/// (rotation: a new inode) the old one is read to its end and the new one
/// from its start; when the file shrinks below what was read (truncation)
/// reading starts over from its start; a missing file is waited for.
public final class FollowedFile: LiveByteSource {
    public let path: String
    public var descriptor: Int32? { nil }
    private var fd: Int32 = -1
    private var identity: (device: UInt64, inode: UInt64)?
    private var offset: Int64 = 0

    public init(path: String) {
        self.path = path
        reopen()
    }

    /// Whether the file could be opened so far.
    public var isOpen: Bool { fd >= 0 }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> LiveRead {
        guard let base = buffer.baseAddress else { return .nothing }
        if fd < 0 { reopen() }
        guard fd >= 0 else { return .nothing }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n > 0 {
                offset += Int64(n)
                return .data(n)
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failed(String(cString: strerror(errno))) }
            break
        }
        // At the end of what is there: has the name moved to another file, or was this one cut?
        var named = stat()
        if stat(path, &named) == 0 {
            if let identity, identity.device != UInt64(named.st_dev) || identity.inode != UInt64(named.st_ino) {
                reopen()
                return read(into: buffer)
            }
            if Int64(named.st_size) < offset {
                offset = 0
                lseek(fd, 0, SEEK_SET)
                return named.st_size > 0 ? read(into: buffer) : .nothing
            }
        }
        return .nothing
    }

    public func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    private func reopen() {
        close()
        identity = nil
        offset = 0
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { return }
        var info = stat()
        fstat(opened, &info)
        fd = opened
        identity = (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    deinit { close() }
}
