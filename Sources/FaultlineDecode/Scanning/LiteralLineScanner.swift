#if canImport(Glibc)
import Glibc
#endif

/// Finds, in a stream of bytes fed in chunks of any size, the lines that
/// contain at least one of a set of literal strings — without looking at the
/// other lines one by one.
///
/// This is the prefilter of every text decoder. It picks, for each literal, the
/// byte of that literal that is rarest in the input (from a histogram of the
/// first chunk), compares 32 bytes at a time against that small set, verifies a
/// candidate against the literals with `memcmp`, and only then finds the
/// line's bounds. Newlines are counted lazily with the same vector width, so
/// every candidate line carries its 1-based line number and byte offset.
///
/// Chunk boundaries cannot change the result: an incomplete last line is
/// carried over to the next chunk. A line longer than `maxLineLength` is cut
/// there; the cut is reported through `onOverlong`.
public struct LiteralLineScanner {
    /// One line the scanner hands out.
    public struct Line {
        /// 1-based line number in the input.
        public var number: Int
        /// Byte offset of the line's first byte in the input.
        public var offset: Int
        /// The line's bytes without its `\n`; valid only during the callback.
        public var bytes: UnsafeRawBufferPointer
    }

    public let literals: [[UInt8]]
    public let maxLineLength: Int

    private var probes: [UInt8] = []
    private var probeVectors: [SIMD32<UInt8>] = []
    private var isProbe = [Bool](repeating: false, count: 256)
    /// For each probe byte: (literal index, offset of the byte in the literal).
    private var probeSites = [[(Int, Int)]](repeating: [], count: 256)
    private var planned = false

    private var carry: [UInt8] = []
    /// Offset in the input of `carry[0]` (or of the next chunk when carry is empty).
    private var carryOffset = 0
    private var skippingOverlong = false
    /// Lines completed before the current chunk.
    public private(set) var linesSeen = 0
    /// Bytes consumed so far.
    public private(set) var bytesSeen = 0

    public init(literals: [String], maxLineLength: Int = 1 << 20) {
        self.literals = Array(Set(literals.map { Array($0.utf8) }.filter { !$0.isEmpty && !$0.contains(0x0A) }))
            .sorted { $0.lexicographicallyPrecedes($1) }
        self.maxLineLength = max(256, maxLineLength)
    }

    /// Chooses the probe bytes from a sample of the input (normally its first chunk).
    public mutating func plan(sample: UnsafeRawBufferPointer) {
        planned = true
        var counts = [Int](repeating: 0, count: 256)
        for byte in sample.prefix(256 * 1024) { counts[Int(byte)] += 1 }
        let total = max(1, sample.count)
        func cost(_ byte: UInt8) -> Double {
            Double(counts[Int(byte)]) / Double(total) + Self.prior[Int(byte)] * 0.0005
        }
        for (index, literal) in literals.enumerated() {
            var best = 0
            for position in literal.indices where cost(literal[position]) < cost(literal[best]) { best = position }
            let byte = literal[best]
            if !isProbe[Int(byte)] {
                isProbe[Int(byte)] = true
                probes.append(byte)
                probeVectors.append(SIMD32<UInt8>(repeating: byte))
            }
            probeSites[Int(byte)].append((index, best))
        }
    }

    /// Feeds the next chunk; calls `onLine` for every complete line holding a literal.
    ///
    /// A chunk is taken in pieces of at most `maxLineLength` bytes, so a line
    /// longer than that always crosses a piece boundary and is caught there,
    /// whatever the chunk size.
    public mutating func scan(_ chunk: UnsafeRawBufferPointer, onLine: (Line) -> Void, onOverlong: (Int, Int) -> Void) {
        guard chunk.count > 0 else { return }
        if !planned { plan(sample: chunk) }
        var start = 0
        while start < chunk.count {
            let end = min(chunk.count, start + maxLineLength)
            scanPiece(UnsafeRawBufferPointer(rebasing: chunk[start..<end]), onLine: onLine, onOverlong: onOverlong)
            start = end
        }
    }

    private mutating func scanPiece(_ chunk: UnsafeRawBufferPointer, onLine: (Line) -> Void, onOverlong: (Int, Int) -> Void) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        bytesSeen += chunk.count
        var position = 0
        // Finish the line carried over from earlier chunks.
        if skippingOverlong || !carry.isEmpty {
            let newline = ByteCounting.firstIndex(of: 0x0A, in: base, from: 0, to: chunk.count)
            if skippingOverlong {
                if newline == chunk.count { return }
                skippingOverlong = false
                linesSeen += 1
                carry.removeAll(keepingCapacity: true)
                position = newline + 1
                carryOffset = bytesSeen - chunk.count + position
            } else if carry.count + newline > maxLineLength {
                let take = maxLineLength - carry.count
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<max(0, take)]))
                emitOverlong(onLine: onLine, onOverlong: onOverlong)
                if newline == chunk.count {
                    skippingOverlong = true
                    return
                }
                linesSeen += 1
                carry.removeAll(keepingCapacity: true)
                position = newline + 1
                carryOffset = bytesSeen - chunk.count + position
            } else if newline == chunk.count {
                carry.append(contentsOf: chunk)
                return
            } else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0...newline]))
                let offset = carryOffset
                carry.withUnsafeBytes { raw in
                    scanRegion(raw.baseAddress!, from: 0, to: raw.count, regionOffset: offset, onLine: onLine)
                }
                carry.removeAll(keepingCapacity: true)
                position = newline + 1
                carryOffset = bytesSeen - chunk.count + position
            }
        }
        // Complete lines straight from the chunk, no copy.
        guard position < chunk.count else { return }
        let lastNewline = ByteCounting.lineStart(before: chunk.count, in: base, notBefore: position)
        if lastNewline > position {
            scanRegion(base, from: position, to: lastNewline, regionOffset: bytesSeen - chunk.count, onLine: onLine)
        }
        let tailStart = max(lastNewline, position)
        carryOffset = bytesSeen - chunk.count + tailStart
        if chunk.count - tailStart > maxLineLength {
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[tailStart..<(tailStart + maxLineLength)]))
            emitOverlong(onLine: onLine, onOverlong: onOverlong)
            skippingOverlong = true
            carry.removeAll(keepingCapacity: true)
        } else {
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[tailStart...]))
        }
    }

    /// End of input: a last line without `\n` is still a line.
    public mutating func finish(onLine: (Line) -> Void) {
        if skippingOverlong {
            skippingOverlong = false
            linesSeen += 1
            return
        }
        guard !carry.isEmpty else { return }
        carry.append(0x0A)
        let offset = carryOffset
        carry.withUnsafeBytes { raw in
            scanRegion(raw.baseAddress!, from: 0, to: raw.count, regionOffset: offset, onLine: onLine)
        }
        carry.removeAll()
    }

    /// An over-long line: hand out its first `maxLineLength` bytes as one line, flagged.
    private mutating func emitOverlong(onLine: (Line) -> Void, onOverlong: (Int, Int) -> Void) {
        let number = linesSeen + 1
        onOverlong(number, carryOffset)
        carry.append(0x0A)
        let offset = carryOffset
        let saved = linesSeen
        carry.withUnsafeBytes { raw in
            scanRegion(raw.baseAddress!, from: 0, to: raw.count, regionOffset: offset, onLine: onLine)
        }
        // The cut line is not complete yet: it is counted once its real end arrives.
        linesSeen = saved
    }

    /// Scans `[start, end)` of `base`, which holds whole lines (it ends just after a `\n`).
    private mutating func scanRegion(_ base: UnsafeRawPointer, from start: Int, to end: Int, regionOffset: Int,
                                     onLine: (Line) -> Void) {
        var counted = start
        var i = start
        let vectors = probeVectors
        if !vectors.isEmpty {
            while i + 32 <= end {
                let v = base.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                var mask = v .== vectors[0]
                for k in 1..<vectors.count { mask .|= v .== vectors[k] }
                if !any(mask) {
                    i += 32
                    continue
                }
                var next = i + 32
                for lane in 0..<32 where mask[lane] {
                    let at = i + lane
                    if verify(base, at: at, regionStart: start, regionEnd: end) {
                        let lineStart = ByteCounting.lineStart(before: at, in: base, notBefore: start)
                        let lineEnd = ByteCounting.firstIndex(of: 0x0A, in: base, from: at, to: end)
                        linesSeen += ByteCounting.newlines(base, from: counted, to: lineStart)
                        counted = lineStart
                        onLine(Line(number: linesSeen + 1, offset: regionOffset + lineStart,
                                    bytes: UnsafeRawBufferPointer(start: base + lineStart, count: lineEnd - lineStart)))
                        next = lineEnd + 1
                        break
                    }
                }
                i = next
            }
            while i < end {
                let byte = base.load(fromByteOffset: i, as: UInt8.self)
                if isProbe[Int(byte)], verify(base, at: i, regionStart: start, regionEnd: end) {
                    let lineStart = ByteCounting.lineStart(before: i, in: base, notBefore: start)
                    let lineEnd = ByteCounting.firstIndex(of: 0x0A, in: base, from: i, to: end)
                    linesSeen += ByteCounting.newlines(base, from: counted, to: lineStart)
                    counted = lineStart
                    onLine(Line(number: linesSeen + 1, offset: regionOffset + lineStart,
                                bytes: UnsafeRawBufferPointer(start: base + lineStart, count: lineEnd - lineStart)))
                    i = lineEnd + 1
                } else {
                    i += 1
                }
            }
        }
        linesSeen += ByteCounting.newlines(base, from: counted, to: end)
    }

    @inline(__always)
    private func verify(_ base: UnsafeRawPointer, at position: Int, regionStart: Int, regionEnd: Int) -> Bool {
        let byte = base.load(fromByteOffset: position, as: UInt8.self)
        for (index, offset) in probeSites[Int(byte)] {
            let literal = literals[index]
            let start = position - offset
            guard start >= regionStart, start + literal.count <= regionEnd else { continue }
            let equal = literal.withUnsafeBytes { lit in memcmp(base + start, lit.baseAddress!, lit.count) == 0 }
            if equal { return true }
        }
        return false
    }

    /// A rough frequency of each byte in build logs, used to break ties when
    /// the sample is small: lower-case letters, digits, space and path
    /// punctuation are common; capitals and most punctuation are rare.
    static let prior: [Double] = (0..<256).map { byte in
        switch byte {
        case 0x20: 100
        case 0x61...0x7A: 40
        case 0x30...0x39: 25
        case 0x2E, 0x2F, 0x2D, 0x3A, 0x5F: 20
        case 0x41...0x5A: 6
        case 0x0A: 10
        default: 3
        }
    }
}
