/// Bytes copied aside for later (a batch's responses and names, a record's texts):
/// one growable allocation written with `ByteSink`'s wide copies, freed with the
/// arena. Owned by one thread at a time (a batch moves between threads whole).
final class ByteArena: @unchecked Sendable {
    @exclusivity(unchecked) private var sink: ByteSink

    init(capacity: Int) { sink = ByteSink(capacity: capacity) }

    deinit { sink.deallocate() }

    var count: Int { sink.count }

    /// Everything written so far (valid until the next append).
    var bytes: UnsafeRawBufferPointer { sink.bytes }

    @inline(__always)
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        sink.append(start, count: bytes.count)
    }

    func append(_ bytes: [UInt8]) { sink.append(bytes) }

    /// Room for `count` more bytes, written in place by the caller (valid until the next append);
    /// `commit` then takes in what was written.
    @inline(__always)
    func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        sink.reserve(count)
        return UnsafeMutableRawPointer(sink.base + sink.count)
    }

    /// Takes in `count` bytes written at the end, in room from `reserve`.
    @inline(__always)
    func commit(_ count: Int) { sink.end(ByteCursor(sink.base + (sink.count + count))) }

    func removeAll() { sink.removeAll() }

    /// Lends the arena's buffer to be written in place (`DNSLogWriter.rendering`).
    func withSink(_ body: (inout ByteSink) -> Void) { body(&sink) }
}
