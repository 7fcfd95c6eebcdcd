#if canImport(Glibc)
import Glibc
#endif

/// A cheap look at a file's first bytes before libarchive is asked: only
/// files that start like a compressed stream, a zip or a tar header can be
/// archives, so plain logs in a large tree are not opened twice.
enum ArchiveSniffer {
    static func mayBeArchive(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 512)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n >= 4 else { return false }
        return mayBeArchive(head[0..<n])
    }

    static func mayBeArchive(_ head: ArraySlice<UInt8>) -> Bool {
        let b = Array(head.prefix(6))
        if b.count >= 2, b[0] == 0x1f, b[1] == 0x8b { return true }                              // gzip
        if b.count >= 4, b[0] == 0x28, b[1] == 0xb5, b[2] == 0x2f, b[3] == 0xfd { return true }  // zstd
        if b.count >= 4, b[0] == 0xfd, b[1] == 0x37, b[2] == 0x7a, b[3] == 0x58 { return true }  // xz
        if b.count >= 3, b[0] == 0x42, b[1] == 0x5a, b[2] == 0x68 { return true }                // bzip2
        if b.count >= 2, b[0] == 0x50, b[1] == 0x4b { return true }                              // zip
        if head.count >= 262 {
            let start = head.startIndex + 257
            return Array(head[start..<(start + 5)]) == Array("ustar".utf8)                        // tar
        }
        return false
    }
}
