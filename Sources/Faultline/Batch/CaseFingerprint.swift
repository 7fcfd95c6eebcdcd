#if canImport(Glibc)
import Glibc
#endif
import FaultlineCore
import FaultlineInput

/// A content hash of a case's inputs — each input's size, then its bytes as
/// stored, FNV-1a 64 — so a resumed batch can tell a case it already stored
/// from one whose inputs changed. Names are not part of it.
enum CaseFingerprint {
    static func of(_ sources: [InputSource]) -> String {
        var hash = FNV1a64()
        func mix(_ bytes: UnsafeRawBufferPointer) { hash.mix(bytes) }
        func mix(size: Int) { hash.mix(size: size) }
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
        return hash.text
    }
}
