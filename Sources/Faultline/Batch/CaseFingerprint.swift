#if canImport(Glibc)
import Glibc
#endif
import FaultlineInput

/// A content hash of a case's inputs — each input's size, then its bytes as
/// stored, FNV-1a 64 — so a resumed batch can tell a case it already stored
/// from one whose inputs changed. Names are not part of it.
enum CaseFingerprint {
    /// FNV-1a 64 of `bytes`, continuing from `hash`.
    static func fnv1a(_ bytes: UnsafeRawBufferPointer, from hash: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = hash
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `hash` as 16 hexadecimal digits.
    static func hex(_ hash: UInt64) -> String {
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: max(0, 16 - text.count)) + text
    }

    static func of(_ sources: [InputSource]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: UnsafeRawBufferPointer) { hash = fnv1a(bytes, from: hash) }
        func mix(size: Int) { withUnsafeBytes(of: UInt64(size).littleEndian) { mix($0) } }
        for source in sources {
            switch source {
            case .bytes(_, let bytes):
                mix(size: bytes.count)
                bytes.withUnsafeBytes { mix($0) }
            case .path(let path):
                var chunk = [UInt8](repeating: 0, count: 1 << 20)
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { mix(size: -1); continue }
                var info = stat()
                mix(size: fstat(fd, &info) == 0 ? Int(info.st_size) : -1)
                while true {
                    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n <= 0 { break }
                    chunk.withUnsafeBytes { mix(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                }
                close(fd)
            case .unreadable(let diagnostic):
                mix(size: -1)
                Array(diagnostic.code.utf8).withUnsafeBytes { mix($0) }
            }
        }
        return "fnv1a64:" + hex(hash)
    }
}
