#if canImport(Glibc)
import Glibc
#endif
public import FaultlineCore

/// Turns the paths a user typed into the list of inputs of one case: files as
/// given, folders walked recursively (sorted, hidden entries skipped), `-` for
/// standard input. Missing paths become diagnostics, never a crash.
///
/// Files and folders are known by device and inode: each file is read once
/// however many names (symbolic or hard links, a path named twice) lead to it,
/// and a folder is entered once, so a symbolic-link cycle ends at its first
/// turn. What was passed over is told as a warning (`input.duplicate`,
/// `input.link-cycle`, `input.too-deep`), never counted as another source.
public enum InputResolver {
    /// One resolved input: the path to open.
    public struct Resolved: Sendable, Hashable {
        public var path: String
        public init(path: String) { self.path = path }
    }

    /// A file or folder's identity on this machine.
    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// What one resolution has seen so far.
    struct Walk {
        var inputs: [Resolved] = []
        var diagnostics: [Diagnostic] = []
        var files: [FileID: String] = [:]
        var folders: [FileID: String] = [:]

        mutating func add(file path: String, _ info: stat) {
            let id = FileID(info)
            if let first = files[id] {
                diagnostics.append(Diagnostic(code: "input.duplicate",
                                              message: "skipped: the same file as \(first), read once", input: path,
                                              severity: .warning))
                return
            }
            files[id] = path
            inputs.append(Resolved(path: path))
        }

        mutating func walk(directory: String, _ info: stat, depth: Int) {
            let id = FileID(info)
            if let first = folders[id] {
                let inside = directory.hasPrefix(first.hasSuffix("/") ? first : first + "/")
                diagnostics.append(Diagnostic(code: inside ? "input.link-cycle" : "input.duplicate",
                                              message: "skipped: the same folder as \(first), walked once", input: directory,
                                              severity: .warning))
                return
            }
            folders[id] = directory
            guard depth < 32 else {
                diagnostics.append(Diagnostic(code: "input.too-deep", message: "folders nested more than 32 deep were skipped",
                                              input: directory, severity: .warning))
                return
            }
            guard let dir = opendir(directory) else {
                diagnostics.append(Diagnostic(code: "input.unreadable",
                                              message: "cannot list folder: \(InputReader.describe(errno: errno))", input: directory))
                return
            }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                names.append(name)
            }
            closedir(dir)
            let base = directory.hasSuffix("/") ? directory : directory + "/"
            for name in names.sorted() {
                let path = base + name
                var info = stat()
                guard stat(path, &info) == 0 else {
                    diagnostics.append(Diagnostic(code: "input.unreadable",
                                                  message: "cannot read: \(InputReader.describe(errno: errno))", input: path))
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: walk(directory: path, info, depth: depth + 1)
                case S_IFREG: add(file: path, info)
                default: continue
                }
            }
        }
    }

    public static func resolve(_ paths: [String]) -> (inputs: [Resolved], diagnostics: [Diagnostic]) {
        var walk = Walk()
        for path in paths {
            if path == "-" {
                walk.inputs.append(Resolved(path: path))
                continue
            }
            var info = stat()
            if stat(path, &info) != 0 {
                let code = errno
                walk.diagnostics.append(Diagnostic(
                    code: code == ENOENT ? "input.missing" : "input.unreadable",
                    message: code == ENOENT ? "no such file or directory" : "cannot read: \(InputReader.describe(errno: code))",
                    input: path))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk.walk(directory: path, info, depth: 0)
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                walk.add(file: path, info)
            } else {
                walk.inputs.append(Resolved(path: path))
            }
        }
        return (walk.inputs, walk.diagnostics)
    }
}
