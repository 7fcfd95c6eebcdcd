#if canImport(Glibc)
import Glibc
#endif
public import FaultlineReport
import FaultlineCore

/// `faultline batch --reports DIR`: each case's report also written as a file
/// of its own in DIR, in any report format (an HTML page per failed build to
/// attach to a ticket, Markdown for a wiki, SARIF for a code-scanning upload),
/// by the worker that analysed the case.
///
/// A file is named after its case key: characters other than letters, digits,
/// `.`, `_` and `-` become `_`, the name is cut to 96 characters, and 8 hex
/// digits of the key's hash keep two keys that read alike apart
/// (`ci-logs_run-7-3f2a9c01.html`). The same key always gets the same name, on
/// any machine or shard.
public struct CaseReportFolder: Sendable {
    public let path: String
    public let format: ReportFormat
    public let catalogue: ReportCatalogue

    public init(path: String, format: ReportFormat, catalogue: ReportCatalogue) {
        self.path = path
        self.format = format
        self.catalogue = catalogue
    }

    /// The file name extension of each format.
    public static func fileExtension(_ format: ReportFormat) -> String {
        switch format {
        case .text, .github: "txt"
        case .json: "json"
        case .html: "html"
        case .markdown: "md"
        case .sarif: "sarif"
        case .junit: "xml"
        }
    }

    /// The file name of the case `key`'s report.
    public func fileName(for key: String) -> String {
        var stem = ""
        for scalar in key.unicodeScalars.prefix(96) {
            let keep = scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
            stem.unicodeScalars.append(keep ? scalar : "_")
        }
        while stem.hasPrefix(".") || stem.hasPrefix("_") { stem.removeFirst() }
        var hash = FNV1a64()
        Array(key.utf8).withUnsafeBytes { hash.mix($0) }
        let suffix = String(hash.text.dropFirst("fnv1a64:".count).prefix(8))
        return (stem.isEmpty ? "" : stem + "-") + suffix + "." + Self.fileExtension(format)
    }

    /// Makes the folder (and its parents) when missing.
    /// - Returns: why it could not be made, or nil.
    public func prepare() -> String? {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && errno != EEXIST { return "\(built): \(String(cString: strerror(errno)))" }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return "\(path): not a folder" }
        return nil
    }

    /// Renders `result`'s report and writes it to its file.
    /// - Returns: the file's path, or why it could not be written.
    public func write(_ result: BatchResult) -> Result<String, CaseReportFolder.Failure> {
        let text = format.renderer(catalogue: catalogue).render(result.report)
        let file = path + "/" + fileName(for: result.key)
        let reason = TextFile.write(text, to: file)
        if let reason { return .failure(Failure(file: file, reason: reason)) }
        return .success(file)
    }

    /// A report file that could not be written.
    public struct Failure: Error, Sendable {
        public var file: String
        public var reason: String
    }
}
