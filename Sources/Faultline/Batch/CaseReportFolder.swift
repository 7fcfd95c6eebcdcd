import Foundation
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
            stem.unicodeScalars.append(Self.isPlain(scalar, also: "._-") ? scalar : "_")
        }
        while stem.hasPrefix(".") || stem.hasPrefix("_") { stem.removeFirst() }
        var hash = FNV1a64()
        Array(key.utf8).withUnsafeBytes { hash.mix($0) }
        let suffix = String(hash.text.dropFirst("fnv1a64:".count).prefix(8))
        return (stem.isEmpty ? "" : stem + "-") + suffix + "." + Self.fileExtension(format)
    }

    /// An ASCII letter or digit, or one of `also`: what a file name or a link may carry as it is.
    static func isPlain(_ scalar: Unicode.Scalar, also: String) -> Bool {
        scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || also.unicodeScalars.contains(scalar))
    }

    /// Makes the folder (and its parents) when missing.
    /// - Returns: why it could not be made, or nil.
    public func prepare() -> String? {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            return "\(path): \(error.localizedDescription)"
        }
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
