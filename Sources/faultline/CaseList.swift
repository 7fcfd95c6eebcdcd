#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// The case paths of `--cases-from`: one a line from a file or standard input; blank lines skipped.
enum CaseList {
    static func read(_ path: String) throws -> [String] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ValidationError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            var text = String(decoding: line, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            return text.isEmpty ? nil : text
        }
    }
}
