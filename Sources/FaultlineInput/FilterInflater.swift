import CArchive
import FaultlineCore

/// Streaming decompression of xz, zstd, lz4 and bzip2 through libarchive's
/// raw format (its compression filters, without an archive format), so a
/// `.xz`, `.zst`, `.lz4` or `.bz2` input reads like a `.gz` one. libarchive
/// pulls the compressed bytes itself, from `pull`.
final class FilterInflater {
    /// The compressed formats recognised by their first bytes, and their names.
    enum Kind: String {
        case xz, zstd, lz4, bzip2

        /// The compression `head` starts with, if it is one of these.
        static func detect(_ head: ArraySlice<UInt8>) -> Kind? {
            let bytes = Array(head.prefix(6))
            if bytes.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
            if bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
            if bytes.starts(with: [0x04, 0x22, 0x4D, 0x18]) { return .lz4 }
            if bytes.count >= 4, bytes.starts(with: [0x42, 0x5A, 0x68]), (0x31...0x39).contains(bytes[3]) { return .bzip2 }
            return nil
        }
    }

    /// What libarchive's read callback reaches through its client data.
    private final class Source {
        let pull: (UnsafeMutableRawBufferPointer) -> Int
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)

        init(pull: @escaping (UnsafeMutableRawBufferPointer) -> Int) { self.pull = pull }
    }

    let kind: Kind
    private let handle: OpaquePointer
    private let source: Source
    private let input: String
    private var started = false
    private var ended = false

    /// - Parameter pull: reads compressed bytes into the buffer; 0 at the end, -1 on an error.
    init(kind: Kind, input: String, pull: @escaping (UnsafeMutableRawBufferPointer) -> Int) throws(Diagnostic) {
        self.kind = kind
        self.input = input
        source = Source(pull: pull)
        guard let handle = archive_read_new() else {
            throw Diagnostic(code: "input.\(kind.rawValue)", message: "cannot start \(kind.rawValue) decompression", input: input)
        }
        self.handle = handle
        archive_read_support_filter_all(handle)
        archive_read_support_format_raw(handle)
        let context = Unmanaged.passUnretained(source).toOpaque()
        let rc = archive_read_open(handle, context, nil, { _, context, buffer in
            guard let context, let buffer else { return -1 }
            let source = Unmanaged<Source>.fromOpaque(context).takeUnretainedValue()
            return source.buffer.withUnsafeMutableBytes { raw in
                let n = source.pull(raw)
                buffer.pointee = UnsafeRawPointer(raw.baseAddress)
                return n
            }
        }, nil)
        if rc != ARCHIVE_OK {
            let message = Self.message(handle)
            archive_read_free(handle)
            throw Diagnostic(code: "input.\(kind.rawValue)", message: "cannot read the \(kind.rawValue) data: \(message)", input: input)
        }
    }

    deinit { archive_read_free(handle) }

    /// Decompressed bytes into `destination`; 0 at the end of the data.
    ///
    /// - Throws: a `Diagnostic` for corrupt or cut compressed data, at `compressedOffset`.
    func read(into destination: UnsafeMutableRawBufferPointer, compressedOffset: () -> Int) throws(Diagnostic) -> Int {
        guard !ended else { return 0 }
        if !started {
            started = true
            var entry: OpaquePointer?
            let rc = archive_read_next_header(handle, &entry)
            if rc == ARCHIVE_EOF {
                ended = true
                return 0
            }
            if rc != ARCHIVE_OK && rc != ARCHIVE_WARN { throw corrupt(compressedOffset()) }
        }
        let n = archive_read_data(handle, destination.baseAddress, destination.count)
        if n < 0 { throw corrupt(compressedOffset()) }
        if n == 0 { ended = true }
        return n
    }

    private func corrupt(_ offset: Int) -> Diagnostic {
        Diagnostic(code: "input.\(kind.rawValue)", message: "corrupt or cut \(kind.rawValue) data: \(Self.message(handle))",
                   input: input, byteOffset: offset)
    }

    private static func message(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown error"
    }
}
