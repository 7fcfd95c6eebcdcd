#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import FaultlineCore

/// Reads one input — a file, standard input (`-`) or bytes already in memory,
/// compressed (gzip through zlib; xz, zstd, lz4 and bzip2 through libarchive's
/// `FilterInflater`) or not — as a stream of byte chunks, decompressing transparently.
///
/// Compression is detected from the first bytes (the gzip magic `1f 8b`, xz's `fd 37 7a 58 5a 00`, …), never
/// from the file name; so is UTF-16 text (a Windows shell's redirect), which is handed out as UTF-8.
/// Errors are `Diagnostic`s that name the input and, for
/// corrupt compressed data, the byte offset in the compressed file.
public final class InputReader {
    /// The path as the user gave it (`-` for standard input).
    public let path: String
    /// Whether the bytes are being gunzipped.
    public private(set) var isGzip = false
    /// Whether the input is UTF-16 text being turned into UTF-8.
    public var isUTF16: Bool { utf16 != nil }
    /// Whether the bytes are being decompressed (gzip, xz, zstd, lz4 or bzip2).
    public var isCompressed: Bool { isGzip || filter != nil }
    /// Whether the bytes are a regular file's as they lie on disk (opened by path, not standard
    /// input, a pipe or an archive member, and not compressed): a reader with its own buffering
    /// (libpcap's stdio) may open the path again and read it straight.
    public var isPlainFile: Bool { isRegularFile && !isCompressed }
    private var isRegularFile = false
    /// Raw bytes read from the file descriptor so far.
    public private(set) var rawBytesRead = 0
    /// Decompressed bytes handed out so far.
    public private(set) var bytesDelivered = 0

    /// Called before a read that would wait for bytes not written yet (a pipe gone quiet), so a
    /// reader of a live stream can write out what it holds first. Unset, nothing is checked.
    public var beforeWaiting: (() -> Void)?

    private let fd: Int32
    private let ownsDescriptor: Bool
    /// The bytes of an in-memory input (read instead of the descriptor), and how far they were read.
    private let memory: [UInt8]?
    private var memoryOffset = 0
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var inflater: GzipInflater?
    private var utf16: UTF16Transcoder?
    /// UTF-8 made from UTF-16 input and not yet handed out.
    private var decoded: [UInt8] = []
    private var decodedStart = 0
    private var filter: FilterInflater?
    private var rawEOF = false
    private var pullError: Diagnostic?
    private var rawChunk: [UInt8]

    /// Opens `path` (or standard input for `-`).
    ///
    /// - Throws: a `Diagnostic` with code `input.missing`, `input.unreadable` or `input.directory`.
    public init(path: String, rawChunkSize: Int = 256 * 1024) throws(Diagnostic) {
        self.path = path
        rawChunk = [UInt8](repeating: 0, count: rawChunkSize)
        memory = nil
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            var info = stat()
            if stat(path, &info) != 0 {
                let code = errno
                throw Diagnostic(code: code == ENOENT ? "input.missing" : "input.unreadable",
                                 message: code == ENOENT ? "no such file or directory" : "cannot read: \(Self.describe(errno: code))",
                                 input: path)
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw Diagnostic(code: "input.directory", message: "is a directory", input: path)
            }
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            if opened < 0 {
                let code = errno
                throw Diagnostic(code: "input.unreadable", message: "cannot open: \(Self.describe(errno: code))", input: path)
            }
            fd = opened
            ownsDescriptor = true
            isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        }
        try detectCompression()
    }

    /// Reads `bytes` as an input named `name` (an archive member), decompressing them as `init(path:)` does.
    ///
    /// - Throws: a `Diagnostic` when the gzip stream cannot be set up.
    public init(name: String, bytes: [UInt8], rawChunkSize: Int = 256 * 1024) throws(Diagnostic) {
        path = name
        rawChunk = [UInt8](repeating: 0, count: rawChunkSize)
        fd = -1
        ownsDescriptor = false
        memory = bytes
        try detectCompression()
    }

    /// Opens `source`: a path as `init(path:)` does, bytes as `init(name:bytes:)`.
    ///
    /// - Throws: the source's own diagnostic when it is `.unreadable`, else as the initialisers do.
    public convenience init(source: InputSource) throws(Diagnostic) {
        switch source {
        case .path(let path): try self.init(path: path)
        case .bytes(let name, let bytes): try self.init(name: name, bytes: bytes)
        case .unreadable(let diagnostic): throw diagnostic
        }
    }

    private func detectCompression() throws(Diagnostic) {
        try fillPending()
        if pending.count - pendingStart >= 2, pending[pendingStart] == 0x1f, pending[pendingStart + 1] == 0x8b {
            isGzip = true
            inflater = try GzipInflater(input: path)
            return
        }
        if let kind = FilterInflater.Kind.detect(pending[pendingStart...]) {
            // libarchive pulls the compressed bytes itself: what was read for detection first.
            filter = try FilterInflater(kind: kind, input: path) { [unowned self] buffer in self.pullCompressed(into: buffer) }
            return
        }
        // Enough bytes to tell UTF-16 from other text, however small the reads — only when the first two bytes
        // hold a NUL as UTF-16 text does, so a live stream (a capture on a pipe) is never held back for more.
        while pending.count - pendingStart < 256, !rawEOF, pending.count - pendingStart >= 2,
              pending[pendingStart] == 0 || pending[pendingStart + 1] == 0 {
            let head = Array(pending[pendingStart...])
            try fillPending()
            pending = head + pending
        }
        utf16 = pending.withUnsafeBytes { UTF16Transcoder(head: UnsafeRawBufferPointer(rebasing: $0[pendingStart...])) }
    }

    /// Compressed bytes for `filter`: the rest of `pending`, then the descriptor; -1 on an error (kept in `pullError`).
    private func pullCompressed(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if pendingStart < pending.count {
            let n = min(buffer.count, pending.count - pendingStart)
            pending.withUnsafeBytes { raw in
                if let base = raw.baseAddress { buffer.baseAddress?.copyMemory(from: base + pendingStart, byteCount: n) }
            }
            pendingStart += n
            return n
        }
        do {
            return try readRaw(into: buffer)
        } catch {
            pullError = error
            return -1
        }
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Reads the next decompressed bytes into `buffer`; returns 0 only at the end of input.
    ///
    /// - Throws: a `Diagnostic` for an I/O error or corrupt compressed data. Bytes
    ///   delivered before the error stay valid; the caller reports it and stops this input.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Diagnostic) -> Int {
        guard buffer.count > 0 else { return 0 }
        if let filter {
            do {
                let n = try filter.read(into: buffer) { rawBytesRead }
                bytesDelivered += n
                return n
            } catch {
                throw pullError ?? error
            }
        }
        if utf16 != nil { return try readTranscoded(into: buffer) }
        while true {
            if inflater == nil, pendingStart == pending.count, !rawEOF {
                // Plain input: read straight into the caller's buffer, no copy.
                let n = try readRaw(into: buffer)
                if n == 0 { rawEOF = true }
                bytesDelivered += n
                return n
            }
            if pendingStart == pending.count {
                if rawEOF {
                    if let inflater { try inflater.finish(compressedOffset: rawBytesRead) }
                    return 0
                }
                try fillPending()
                continue
            }
            if let inflater {
                let offset = rawBytesRead - (pending.count - pendingStart)
                let start = pendingStart
                let outcome = pending.withUnsafeBytes { raw in
                    Result { () throws(Diagnostic) in
                        try inflater.inflate(UnsafeRawBufferPointer(rebasing: raw[start...]), into: buffer, compressedOffset: offset)
                    }
                }
                let result = try outcome.get()
                pendingStart += result.consumed
                if result.produced > 0 {
                    bytesDelivered += result.produced
                    return result.produced
                }
            } else {
                let n = min(buffer.count, pending.count - pendingStart)
                pending.withUnsafeBytes { raw in
                    buffer.baseAddress!.copyMemory(from: raw.baseAddress! + pendingStart, byteCount: n)
                }
                pendingStart += n
                bytesDelivered += n
                return n
            }
        }
    }

    /// `read(into:)` for UTF-16 input: raw bytes through the transcoder into `decoded`, then copied out.
    private func readTranscoded(into buffer: UnsafeMutableRawBufferPointer) throws(Diagnostic) -> Int {
        while decodedStart == decoded.count {
            decoded.removeAll(keepingCapacity: true)
            decodedStart = 0
            let capacity = 64 * 1024
            if pendingStart == pending.count {
                if rawEOF {
                    guard var transcoder = utf16 else { return 0 }
                    var tail = [UInt8](repeating: 0, count: 4)
                    let n: Int = tail.withUnsafeMutableBytes { transcoder.finish(into: $0) }
                    utf16 = transcoder
                    guard n > 0 else { return 0 }
                    decoded = Array(tail[0..<n])
                    break
                }
                try fillPending()
                continue
            }
            let take = min(pending.count - pendingStart, UTF16Transcoder.inputLimit(outputCapacity: capacity))
            let start = pendingStart
            guard var transcoder = utf16 else { return 0 }
            var out = [UInt8](repeating: 0, count: capacity)
            let n: Int = pending.withUnsafeBytes { raw -> Int in
                out.withUnsafeMutableBytes { target -> Int in
                    transcoder.transcode(UnsafeRawBufferPointer(rebasing: raw[start..<(start + take)]), into: target)
                }
            }
            utf16 = transcoder
            decoded = Array(out[0..<n])
            pendingStart += take
        }
        let n = min(buffer.count, decoded.count - decodedStart)
        decoded.withUnsafeBytes { raw in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[decodedStart..<(decodedStart + n)]))
        }
        decodedStart += n
        bytesDelivered += n
        return n
    }

    /// Reads until `buffer` is full or the input ends: how many bytes it holds, and the error
    /// that stopped it early, if one did (the bytes before it stay valid).
    public func fill(_ buffer: UnsafeMutableRawBufferPointer) -> (count: Int, error: Diagnostic?) {
        var filled = 0
        while filled < buffer.count {
            do {
                let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if n == 0 { break }
                filled += n
            } catch {
                return (filled, error)
            }
        }
        return (filled, nil)
    }

    private func fillPending() throws(Diagnostic) {
        let n = try rawChunk.withUnsafeMutableBytes { raw in
            Result { () throws(Diagnostic) in try readRaw(into: raw) }
        }.get()
        if n == 0 { rawEOF = true }
        pending = Array(rawChunk[0..<n])
        pendingStart = 0
    }

    /// One `read(2)` from the descriptor, retried on EINTR (or a copy from the in-memory bytes).
    private func readRaw(into raw: UnsafeMutableRawBufferPointer) throws(Diagnostic) -> Int {
        if let memory {
            let n = min(raw.count, memory.count - memoryOffset)
            if n > 0 {
                memory.withUnsafeBytes { bytes in
                    raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[memoryOffset..<(memoryOffset + n)]))
                }
            }
            memoryOffset += n
            rawBytesRead += n
            return n
        }
        if let beforeWaiting {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&ready, 1, 0) == 0 { beforeWaiting() }
        }
        var n: Int
        repeat {
            n = Glibc.read(fd, raw.baseAddress, raw.count)
        } while n < 0 && errno == EINTR
        if n < 0 {
            let code = errno
            throw Diagnostic(code: code == EISDIR ? "input.directory" : "input.unreadable",
                             message: "read failed: \(Self.describe(errno: code))", input: path, byteOffset: rawBytesRead)
        }
        rawBytesRead += n
        return n
    }

    static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
