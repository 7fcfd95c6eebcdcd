import CFileStream
public import FaultlineCore
#if canImport(Glibc)
public import Glibc
#endif

/// A C `FILE *` that reads an input as Faultline sees it — bytes already read
/// for format detection first, then the rest of the `InputReader`,
/// decompressed — for libraries that read a FILE themselves (libpcap). So a
/// capture can come from standard input or a `.gz` file like any log.
///
/// The FILE owns the reader until it is closed (`fclose`, or `pcap_close`);
/// a read error is kept in `error` and ends the stream.
public final class ReaderFile: @unchecked Sendable {
    /// The stream; closed by whoever reads it (libpcap closes it with its handle).
    public private(set) var file: UnsafeMutablePointer<Glibc.FILE>?
    /// The read error that ended the stream early, if any (corrupt gzip data, an I/O error).
    public var error: Diagnostic? { state.error }

    /// What the C callbacks read and write: shared between this object and the open FILE.
    private final class State: @unchecked Sendable {
        let reader: InputReader
        var prefix: [UInt8]
        var prefixOffset = 0
        var error: Diagnostic?

        init(reader: InputReader, prefix: [UInt8]) {
            self.reader = reader
            self.prefix = prefix
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
            if prefixOffset < prefix.count {
                let n = min(buffer.count, prefix.count - prefixOffset)
                prefix.withUnsafeBytes { raw in
                    guard let source = raw.baseAddress else { return }
                    buffer.baseAddress?.copyMemory(from: source + prefixOffset, byteCount: n)
                }
                prefixOffset += n
                if prefixOffset == prefix.count { prefix = [] }
                return n
            }
            do {
                return try reader.read(into: buffer)
            } catch {
                self.error = error
                return -1
            }
        }
    }

    private let state: State

    /// - Parameter prefix: bytes already taken from `reader` (the detection head), given out first.
    public init(reader: InputReader, prefix: [UInt8]) {
        state = State(reader: reader, prefix: prefix)
        let context = Unmanaged.passRetained(state).toOpaque()
        file = fl_stream_open(context, { context, buffer, size in
            guard let context, let buffer else { return -1 }
            let state = Unmanaged<State>.fromOpaque(context).takeUnretainedValue()
            return state.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(size)))
        }, { context in
            guard let context else { return }
            Unmanaged<State>.fromOpaque(context).release()
        }, 1 << 20) // libpcap reads each record with fread: refill 1 MiB at a time, not stdio's 4 KiB.
        if file == nil { Unmanaged<State>.fromOpaque(context).release() }
    }
}
