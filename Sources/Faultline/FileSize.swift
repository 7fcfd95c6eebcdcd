#if canImport(Glibc)
import Glibc
#endif

/// The size of a regular file, for progress; nil for standard input and pipes.
enum FileSize {
    static func of(_ path: String) -> Int? {
        guard path != "-" else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }
}
