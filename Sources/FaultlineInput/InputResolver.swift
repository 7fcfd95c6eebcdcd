#if canImport(Glibc)
import Glibc
#endif
public import FaultlineCore

/// Turns the paths a user typed into the list of inputs of one case: files as
/// given, folders walked recursively (sorted, hidden entries skipped), `-` for
/// standard input. Missing paths become diagnostics, never a crash.
public enum InputResolver {
    /// One resolved input: the path to open.
    public struct Resolved: Sendable, Hashable {
        public var path: String
        public init(path: String) { self.path = path }
    }

    public static func resolve(_ paths: [String]) -> (inputs: [Resolved], diagnostics: [Diagnostic]) {
        var inputs: [Resolved] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            if path == "-" {
                inputs.append(Resolved(path: path))
                continue
            }
            var info = stat()
            if stat(path, &info) != 0 {
                let code = errno
                diagnostics.append(Diagnostic(
                    code: code == ENOENT ? "input.missing" : "input.unreadable",
                    message: code == ENOENT ? "no such file or directory" : "cannot read: \(InputReader.describe(errno: code))",
                    input: path))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(directory: path, into: &inputs, diagnostics: &diagnostics, depth: 0)
            } else {
                inputs.append(Resolved(path: path))
            }
        }
        return (inputs, diagnostics)
    }

    private static func walk(directory: String, into inputs: inout [Resolved], diagnostics: inout [Diagnostic], depth: Int) {
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
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
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
            case S_IFDIR: walk(directory: path, into: &inputs, diagnostics: &diagnostics, depth: depth + 1)
            case S_IFREG: inputs.append(Resolved(path: path))
            default: continue
            }
        }
    }
}
