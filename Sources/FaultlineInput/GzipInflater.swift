import CZlib
import FaultlineCore

/// Streaming gzip decompression through zlib, including files made of several
/// concatenated gzip members (as `cat a.gz b.gz` and log rotators produce).
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: String
    private var ended = false
    private var sawData = false

    init(input: String) throws(Diagnostic) {
        self.input = input
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits + 16: gzip framing only.
        let rc = faultline_inflate_init2(stream, 15 + 16)
        if rc != Z_OK {
            stream.deallocate()
            throw Diagnostic(code: "input.gzip", message: "cannot start gzip decompression (zlib \(rc))", input: input)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates from `source` into `destination`; returns bytes consumed and produced.
    func inflate(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
                 compressedOffset: Int) throws(Diagnostic) -> (consumed: Int, produced: Int) {
        guard let src = source.baseAddress, let dst = destination.baseAddress else { return (source.count, 0) }
        if ended {
            // A new member may follow the previous one; anything else is trailing junk.
            if source.count >= 2, source[0] == 0x1f, source[1] == 0x8b {
                inflateReset(stream)
                ended = false
            } else {
                throw Diagnostic(code: "input.gzip-trailing", message: "unexpected bytes after the end of the gzip data",
                                 input: input, byteOffset: compressedOffset, severity: .warning)
            }
        }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: src.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(min(source.count, Int(UInt32.max)))
        stream.pointee.next_out = dst.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(min(destination.count, Int(UInt32.max)))
        let before = stream.pointee.avail_in
        let outBefore = stream.pointee.avail_out
        let rc = CZlib.inflate(stream, Z_NO_FLUSH)
        let consumed = Int(before - stream.pointee.avail_in)
        let produced = Int(outBefore - stream.pointee.avail_out)
        if produced > 0 { sawData = true }
        switch rc {
        case Z_OK, Z_BUF_ERROR:
            return (consumed, produced)
        case Z_STREAM_END:
            ended = true
            return (consumed, produced)
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
            throw Diagnostic(code: "input.gzip-corrupt", message: "corrupt gzip data: \(detail)",
                             input: input, byteOffset: compressedOffset + consumed)
        }
    }

    /// Called at the end of the compressed bytes: a member that never ended means a truncated file.
    func finish(compressedOffset: Int) throws(Diagnostic) {
        if !ended {
            throw Diagnostic(code: "input.gzip-truncated",
                             message: "gzip data ends early (truncated file); the part before was analysed",
                             input: input, byteOffset: compressedOffset, severity: .warning)
        }
    }
}
