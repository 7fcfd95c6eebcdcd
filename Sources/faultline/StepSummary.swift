#if canImport(Glibc)
import Glibc
#endif

/// GitHub Actions' job summary: the file named by `$GITHUB_STEP_SUMMARY`,
/// to which `--format github` appends the Markdown report.
enum StepSummary {
    /// Appends `markdown` to the summary file when the variable is set; a failure is reported on standard error.
    static func append(_ markdown: String) {
        guard let path = getenv("GITHUB_STEP_SUMMARY").map({ String(cString: $0) }), !path.isEmpty else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            printError("cannot append the report to GITHUB_STEP_SUMMARY (\(path)): \(String(cString: strerror(errno)))")
            return
        }
        defer { close(fd) }
        var copy = markdown + "\n"
        copy.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, base + offset, bytes.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
