public import FaultlineCore
import CArchive

/// Writes a tar (optionally gzip or zstd compressed) or zip archive through
/// libarchive: what the batch tests and the batch benchmark build their
/// archives with, so they need no `tar` or `zip` program.
public final class ArchiveWriter {
    /// The archive's format and compression.
    public enum Kind: Sendable {
        case tar, tarGzip, tarZstd, zip
    }

    private let handle: OpaquePointer
    private let path: String
    private var closed = false

    /// Creates (or truncates) the archive at `path`.
    ///
    /// - Throws: a `Diagnostic` when libarchive cannot set up the format or open the file.
    public init(path: String, kind: Kind) throws(Diagnostic) {
        self.path = path
        guard let handle = archive_write_new() else {
            throw Diagnostic(code: "batch.archive-write", message: "libarchive could not start a writer", input: path)
        }
        self.handle = handle
        var status: Int32
        switch kind {
        case .tar: status = archive_write_set_format_pax_restricted(handle)
        case .tarGzip:
            status = archive_write_set_format_pax_restricted(handle)
            if status == ARCHIVE_OK { status = archive_write_add_filter_gzip(handle) }
        case .tarZstd:
            status = archive_write_set_format_pax_restricted(handle)
            if status == ARCHIVE_OK { status = archive_write_add_filter_zstd(handle) }
        case .zip: status = archive_write_set_format_zip(handle)
        }
        if status == ARCHIVE_OK { status = archive_write_open_filename(handle, path) }
        guard status == ARCHIVE_OK else {
            let detail = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
            closed = true // `deinit` runs (every property is set) and frees the handle, with nothing to close.
            throw Diagnostic(code: "batch.archive-write", message: detail, input: path)
        }
    }

    deinit {
        if !closed { archive_write_close(handle) }
        archive_write_free(handle)
    }

    /// Adds a regular file named `name` holding `bytes`.
    public func add(_ name: String, _ bytes: [UInt8]) throws(Diagnostic) {
        guard let entry = archive_entry_new() else {
            throw Diagnostic(code: "batch.archive-write", message: "cannot make an entry", input: path)
        }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        faultline_archive_entry_set_file(entry)
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_size(entry, Int64(bytes.count))
        archive_entry_set_mtime(entry, 1_767_225_600, 0)
        guard archive_write_header(handle, entry) == ARCHIVE_OK else { throw failure("cannot write \(name)'s header") }
        let written = bytes.withUnsafeBytes { raw in archive_write_data(handle, raw.baseAddress, raw.count) }
        guard written == bytes.count else { throw failure("cannot write \(name)'s bytes") }
    }

    /// Finishes the archive (its trailer or central directory).
    public func close() throws(Diagnostic) {
        closed = true
        guard archive_write_close(handle) == ARCHIVE_OK else { throw failure("cannot finish the archive") }
    }

    /// `bytes` gzip-compressed (a `.gz` file's content), through libarchive's raw format.
    public static func gzip(_ bytes: [UInt8]) throws(Diagnostic) -> [UInt8] {
        guard let handle = archive_write_new() else {
            throw Diagnostic(code: "batch.archive-write", message: "libarchive could not start a writer", input: "gzip")
        }
        defer { archive_write_free(handle) }
        var output = [UInt8](repeating: 0, count: bytes.count + bytes.count / 100 + 4096)
        var used = 0
        let status: Int32 = output.withUnsafeMutableBytes { raw in
            var status = archive_write_set_format_raw(handle)
            if status == ARCHIVE_OK { status = archive_write_add_filter_gzip(handle) }
            if status == ARCHIVE_OK { status = archive_write_open_memory(handle, raw.baseAddress, raw.count, &used) }
            guard status == ARCHIVE_OK, let entry = archive_entry_new() else { return status == ARCHIVE_OK ? ARCHIVE_FATAL : status }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname(entry, "data")
            faultline_archive_entry_set_file(entry)
            archive_entry_set_size(entry, Int64(bytes.count))
            status = archive_write_header(handle, entry)
            if status == ARCHIVE_OK {
                let written = bytes.withUnsafeBytes { archive_write_data(handle, $0.baseAddress, $0.count) }
                if written != bytes.count { status = ARCHIVE_FATAL }
            }
            if status == ARCHIVE_OK { status = archive_write_close(handle) }
            return status
        }
        guard status == ARCHIVE_OK else {
            let detail = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
            throw Diagnostic(code: "batch.archive-write", message: "cannot gzip: \(detail)", input: "gzip")
        }
        return Array(output[0..<used])
    }

    private func failure(_ what: String) -> Diagnostic {
        let detail = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
        return Diagnostic(code: "batch.archive-write", message: "\(what): \(detail)", input: path)
    }
}
