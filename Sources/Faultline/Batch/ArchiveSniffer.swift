#if canImport(Glibc)
import Glibc
#endif
import FaultlineInput

/// Tells archives from plain (or gzipped) inputs by their first bytes, never
/// by name: a zip's local header, a tar header's `ustar` magic — also inside
/// gzip, looked at through Faultline's own gunzip so a truncated `.tgz` is still
/// known for a tar — and zstd, xz or bzip2 streams, which Faultline reads only
/// as archives. A damaged archive is still an archive: its reading reports the damage.
enum ArchiveSniffer {
    static func isArchive(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        var head = [UInt8](repeating: 0, count: 512)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard n >= 4 else { return false }
        let raw = head[0..<n]
        if startsWith(raw, [0x50, 0x4b, 0x03, 0x04]) || startsWith(raw, [0x50, 0x4b, 0x05, 0x06]) { return true } // zip
        if startsWith(raw, [0x28, 0xb5, 0x2f, 0xfd]) || startsWith(raw, [0xfd, 0x37, 0x7a, 0x58, 0x5a])             // zstd, xz
            || startsWith(raw, [0x42, 0x5a, 0x68]) { return true }                                                  // bzip2
        if isTarHeader(raw) { return true }
        guard startsWith(raw, [0x1f, 0x8b]), let reader = try? InputReader(path: path) else { return false }
        var inner = [UInt8](repeating: 0, count: 512)
        let filled = inner.withUnsafeMutableBytes { reader.fill($0) }.count
        return isTarHeader(inner[0..<filled])
    }

    /// A POSIX (`ustar\0`) or GNU (`ustar  `) tar header.
    static func isTarHeader(_ block: ArraySlice<UInt8>) -> Bool {
        guard block.count >= 262 else { return false }
        let start = block.startIndex + 257
        return Array(block[start..<(start + 5)]) == Array("ustar".utf8)
    }

    private static func startsWith(_ bytes: ArraySlice<UInt8>, _ magic: [UInt8]) -> Bool {
        bytes.count >= magic.count && zip(bytes, magic).allSatisfy { $0 == $1 }
    }
}
