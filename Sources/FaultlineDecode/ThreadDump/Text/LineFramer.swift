#if canImport(Glibc)
import Glibc
#endif

/// Receives the lines a `LineFramer` cuts.
protocol LineSink {
    /// One complete line, without its `\n` (a trailing `\r` is kept); `bytes` is valid only during the call.
    mutating func line(_ bytes: UnsafeRawBufferPointer, number: Int, offset: Int)
    /// The line `number` was longer than the limit and was cut.
    mutating func overlong(number: Int, offset: Int, limit: Int)
}

/// Cuts a stream of bytes fed in chunks of any size into lines, with `memchr`.
///
/// Complete lines are handed out straight from the chunk (no copy); only a
/// line that crosses a chunk boundary is carried, so a chunk boundary never
/// changes what the sink sees. A line longer than `maxLineLength` is cut
/// there: its head is handed out, the cut reported, the rest skipped.
struct LineFramer {
    let maxLineLength: Int
    private var carry: [UInt8] = []
    private var carryOffset = 0
    private var skipping = false
    /// Lines handed out (or skipped as the rest of an over-long line).
    private(set) var lines = 0
    private(set) var bytesSeen = 0
    /// Whether the input ended without a final `\n`.
    private(set) var endedMidLine = false

    /// - Parameters:
    ///   - firstLine, firstOffset: where the first byte fed sits in the input (a dump found
    ///     inside a longer log is read from there on, with the log's own numbers).
    init(maxLineLength: Int, firstLine: Int = 1, firstOffset: Int = 0) {
        self.maxLineLength = max(256, maxLineLength)
        lines = max(0, firstLine - 1)
        bytesSeen = max(0, firstOffset)
    }

    mutating func feed<Sink: LineSink>(_ chunk: UnsafeRawBufferPointer, into sink: inout Sink) {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        let chunkOffset = bytesSeen
        bytesSeen += chunk.count
        var position = 0
        if skipping || !carry.isEmpty {
            let newline = ByteText.firstIndex(of: 0x0A, in: chunk) ?? chunk.count
            if skipping {
                guard newline < chunk.count else { return }
                skipping = false
                position = newline + 1
            } else if carry.count + newline > maxLineLength {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<(maxLineLength - carry.count)]))
                emitCarry(into: &sink, overlong: true)
                if newline == chunk.count {
                    skipping = true
                    return
                }
                position = newline + 1
            } else if newline == chunk.count {
                carry.append(contentsOf: chunk)
                return
            } else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<newline]))
                emitCarry(into: &sink, overlong: false)
                position = newline + 1
            }
        }
        while position < chunk.count {
            guard let hit = memchr(base + position, 0x0A, chunk.count - position) else { break }
            let end = UnsafeRawPointer(hit) - base
            if end - position > maxLineLength {
                lines += 1
                sink.overlong(number: lines, offset: chunkOffset + position, limit: maxLineLength)
                sink.line(UnsafeRawBufferPointer(start: base + position, count: maxLineLength), number: lines,
                          offset: chunkOffset + position)
            } else {
                lines += 1
                sink.line(UnsafeRawBufferPointer(start: base + position, count: end - position), number: lines,
                          offset: chunkOffset + position)
            }
            position = end + 1
        }
        guard position < chunk.count else { return }
        carryOffset = chunkOffset + position
        let tail = chunk.count - position
        if tail > maxLineLength {
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base + position, count: maxLineLength))
            emitCarry(into: &sink, overlong: true)
            skipping = true
        } else {
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base + position, count: tail))
        }
    }

    /// End of input: a last line without `\n` is still a line.
    mutating func finish<Sink: LineSink>(into sink: inout Sink) {
        if skipping {
            skipping = false
            endedMidLine = true
            return
        }
        guard !carry.isEmpty else { return }
        endedMidLine = true
        emitCarry(into: &sink, overlong: false)
    }

    private mutating func emitCarry<Sink: LineSink>(into sink: inout Sink, overlong: Bool) {
        lines += 1
        let number = lines
        let offset = carryOffset
        if overlong { sink.overlong(number: number, offset: offset, limit: maxLineLength) }
        let held = carry
        carry = []
        held.withUnsafeBytes { sink.line($0, number: number, offset: offset) }
        carry = held
        carry.removeAll(keepingCapacity: true)
    }
}
