import CArchive
import FaultlineCore

/// Reads a tar (plain, gzip, bzip2, xz or zstd compressed) or zip archive as
/// a stream through libarchive: entry headers one after the other, each
/// entry's bytes read into memory or skipped. Nothing is unpacked to disk.
///
/// Failures are `Diagnostic`s naming the archive and the compressed byte
/// offset reached, never a crash.
final class ArchiveReader {
    /// One entry's header.
    struct Entry {
        var name: String
        var isFile: Bool
        /// The size the header states, when it states one.
        var size: Int?
    }

    /// What `readData` got: the bytes, or as many as the cap allowed and whether more were left.
    struct Data {
        var bytes: [UInt8]
        var truncated: Bool
    }

    let path: String
    private let handle: OpaquePointer
    private var entryCount = 0

    /// Opens `path` as an archive; throws when libarchive recognises no tar or zip in it.
    init(path: String) throws(Diagnostic) {
        self.path = path
        guard let handle = archive_read_new() else {
            throw Diagnostic(code: "batch.archive-unreadable", message: "libarchive could not start a reader", input: path)
        }
        self.handle = handle
        archive_read_support_filter_all(handle)
        archive_read_support_format_tar(handle)
        archive_read_support_format_gnutar(handle)
        archive_read_support_format_zip(handle)
        if archive_read_open_filename(handle, path, 64 * 1024) != ARCHIVE_OK {
            // Every property is set, so `deinit` runs and frees the handle.
            throw Self.diagnostic(handle, path: path, what: "cannot open the archive")
        }
    }

    deinit { archive_read_free(handle) }

    /// The next entry's header; nil at the end of the archive.
    func next() -> Result<Entry?, Diagnostic> {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return .success(nil) }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            return .failure(Self.diagnostic(handle, path: path, what: "cannot read entry \(entryCount + 1)'s header"))
        }
        entryCount += 1
        let name: String
        if let text = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry) {
            name = String(cString: text)
        } else {
            name = "entry-\(entryCount)"
        }
        let size = archive_entry_size_is_set(entry) != 0 ? Int(archive_entry_size(entry)) : nil
        return .success(Entry(name: name, isFile: faultline_archive_entry_is_file(entry) != 0, size: size))
    }

    /// Reads the current entry's bytes, at most `limit` of them (the rest is skipped).
    func readData(limit: Int, member: String, expected: Int?) -> Result<Data, Diagnostic> {
        var bytes: [UInt8] = []
        if let expected { bytes.reserveCapacity(min(expected, limit)) }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { raw in archive_read_data(handle, raw.baseAddress, raw.count) }
            if n == 0 { return .success(Data(bytes: bytes, truncated: false)) }
            if n < 0 {
                var error = Self.diagnostic(handle, path: member, what: "cannot read the member's bytes")
                error.message += " (after \(bytes.count) bytes of it)"
                return .failure(error)
            }
            if bytes.count + n > limit {
                bytes += chunk[0..<max(0, limit - bytes.count)]
                return .success(Data(bytes: bytes, truncated: true))
            }
            bytes += chunk[0..<n]
        }
    }

    /// Skips the current entry's bytes.
    func skipData(member: String) -> Diagnostic? {
        let status = archive_read_data_skip(handle)
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
            return Self.diagnostic(handle, path: member, what: "cannot skip the member's bytes")
        }
        return nil
    }

    /// A diagnostic from libarchive's last error, at the compressed offset reached so far.
    private static func diagnostic(_ handle: OpaquePointer, path: String, what: String) -> Diagnostic {
        let detail = archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
        let offset = archive_filter_bytes(handle, -1)
        return Diagnostic(code: "batch.archive-unreadable", message: "\(what): \(detail)", input: path,
                          byteOffset: offset >= 0 ? Int(offset) : nil)
    }
}
