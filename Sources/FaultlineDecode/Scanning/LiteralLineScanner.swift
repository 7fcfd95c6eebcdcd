import CByteScan
#if canImport(Glibc)
import Glibc
#endif

/// Finds, in a stream of bytes fed in chunks of any size, the lines that
/// contain at least one of a set of literal strings — without looking at the
/// other lines one by one.
///
/// This is the prefilter of every text decoder. It picks, for each literal, a
/// probe — a byte or an adjacent byte pair of that literal that is rare in the
/// input (from histograms of the first chunk) — and a C kernel (`fl_probe_scan`)
/// tests 32 bytes at a time against all probes at once: AVX2 nibble buckets
/// (`NibbleBuckets`) where the CPU has them, probe by probe with SSE2 otherwise,
/// then drops lanes whose byte pair no probe starts with. A surviving candidate
/// is checked against its literals (an 8-byte window, then `memcmp`), and only
/// then are the line's bounds found. Newlines are counted lazily (also in C),
/// so every candidate line carries its 1-based line number and byte offset.
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

    /// Built by `plan`; immutable afterwards, so copies of the scanner share it.
    private var table: ProbeTable?

    private var carry: [UInt8] = []
    /// Offset in the input of `carry[0]` (or of the next chunk when carry is empty).
    private var carryOffset = 0
    private var skippingOverlong = false
    /// Lines completed before the current chunk.
    public private(set) var linesSeen = 0
    /// Bytes consumed so far.
    public private(set) var bytesSeen = 0

    /// The vector kernel; tests pin one.
    var kernel = ProbeTable.ScanKernel.best

    public init(literals: [String], maxLineLength: Int = 1 << 20) {
        self.literals = Array(Set(literals.map { Array($0.utf8) }.filter { !$0.isEmpty && !$0.contains(0x0A) }))
            .sorted { $0.lexicographicallyPrecedes($1) }
        self.maxLineLength = max(256, maxLineLength)
    }

    /// Chooses the probes from a sample of the input (normally its first chunk).
    ///
    /// A weighted greedy set cover: every literal must hold at least one probe,
    /// either a single byte or a pair of adjacent bytes, and each probe costs
    /// how often it occurs in the sample times the literals a hit must verify,
    /// plus a fixed price for the vector compare it adds to every block. Rare capitals and punctuation cover many literals as single
    /// bytes; all-lower-case literals get their rarest byte pair.
    public mutating func plan(sample: UnsafeRawBufferPointer) {
        let window = UnsafeRawBufferPointer(rebasing: sample.prefix(256 * 1024))
        var single = [Double](repeating: 0, count: 256)
        var pair = [Double](repeating: 0, count: 65536)
        var previous: Int?
        for byte in window {
            single[Int(byte)] += 1
            if let previous { pair[previous << 8 | Int(byte)] += 1 }
            previous = Int(byte)
        }
        let total = Double(max(1, window.count))
        for b in 0..<256 { single[b] = single[b] / total + Self.prior[b] * 0.0002 }
        for p in 0..<65536 { pair[p] = pair[p] / total + Self.prior[p >> 8] * Self.prior[p & 0xFF] * 0.000_000_2 }
        // What one more probe costs per input byte, against its hits: the nibble kernel tests every
        // probe at once and drops lanes no probe holds, so a probe costs only the buckets it crowds.
        // Measured on the benchmark's Go and npm logs: 0.001 beats 0.004, 0.002 and 0.0006.
        let probeCost = 0.001

        // Which literals each candidate probe would cover, computed once.
        var holders: [Probe: [Int]] = [:]
        for (index, literal) in literals.enumerated() {
            var seen = Set<Probe>()
            for position in literal.indices {
                var found = [Probe.single(literal[position])]
                if position + 1 < literal.count { found.append(.pair(literal[position], literal[position + 1])) }
                for probe in found where seen.insert(probe).inserted { holders[probe, default: []].append(index) }
            }
        }
        let candidates = holders.keys.sorted { $0.description < $1.description }
        var covered = [Bool](repeating: false, count: literals.count)
        var remaining = literals.count
        var chosen: [Probe] = []
        while remaining > 0 {
            var best: (probe: Probe, score: Double)?
            for candidate in candidates {
                let gain = holders[candidate, default: []].reduce(0) { $0 + (covered[$1] ? 0 : 1) }
                guard gain > 0 else { continue }
                // Every hit verifies every literal the probe stands for, so a
                // frequent probe is not made cheap by covering many literals.
                let verifications = 1 + Double(holders[candidate, default: []].count)
                let cost: Double
                switch candidate {
                case .single(let b): cost = single[Int(b)] * verifications + probeCost
                case .pair(let a, let b): cost = pair[Int(a) << 8 | Int(b)] * verifications + 2 * probeCost
                }
                let score = cost / Double(gain)
                if best.map({ score < $0.score }) ?? true { best = (candidate, score) }
            }
            guard let best else { break }
            chosen.append(best.probe)
            for index in holders[best.probe, default: []] where !covered[index] {
                covered[index] = true
                remaining -= 1
            }
        }
        // Each literal is verified from the first byte of the first chosen probe it holds.
        var sites: [(literal: Int, offset: Int, pair: Bool)] = []
        for (index, literal) in literals.enumerated() {
            for probe in chosen {
                if let offset = probe.offset(in: literal) {
                    sites.append((index, offset, probe.isPair))
                    break
                }
            }
        }
        var singles: [UInt8] = []
        var pairs: [(UInt8, UInt8)] = []
        for probe in chosen {
            switch probe {
            case .single(let b): singles.append(b)
            case .pair(let a, let b): pairs.append((a, b))
            }
        }
        let buckets = NibbleBuckets(singles: singles, pairs: pairs, single: single, pair: pair)
        table = ProbeTable(literals: literals, sites: sites, singles: singles, pairs: pairs, nibbles: buckets.tables, kernel: kernel)
        probes = chosen
    }

    /// The probes `plan` chose, for diagnostics and benchmarks (`'E'`, `'ho'`…).
    public private(set) var probes: [Probe] = []

    /// What the vector loop compares against: one byte, or two adjacent bytes.
    public enum Probe: Hashable, CustomStringConvertible {
        case single(UInt8)
        case pair(UInt8, UInt8)

        public var description: String {
            switch self {
            case .single(let b): return "'\(Self.show(b))'"
            case .pair(let a, let b): return "'\(Self.show(a))\(Self.show(b))'"
            }
        }

        static func show(_ b: UInt8) -> String {
            (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
        }

        var isPair: Bool {
            if case .pair = self { return true }
            return false
        }

        /// Where the probe first occurs in `literal`.
        func offset(in literal: [UInt8]) -> Int? {
            switch self {
            case .single(let b):
                return literal.firstIndex(of: b)
            case .pair(let a, let b):
                guard literal.count >= 2 else { return nil }
                return (0..<(literal.count - 1)).first { literal[$0] == a && literal[$0 + 1] == b }
            }
        }
    }

    /// Feeds the next chunk; calls `onLine` for every complete line holding a literal.
    ///
    /// A chunk is taken in pieces of at most `maxLineLength` bytes, so a line
    /// longer than that always crosses a piece boundary and is caught there,
    /// whatever the chunk size.
    public mutating func scan(_ chunk: UnsafeRawBufferPointer, onLine: (Line) -> Void, onOverlong: (Int, Int) -> Void) {
        guard chunk.count > 0 else { return }
        if table == nil { plan(sample: chunk) }
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
        guard let table else { return }
        var counted = start
        var i = start
        /// Hands out the line holding `at` and returns where scanning resumes.
        func emit(at: Int) -> Int {
            let lineStart = ByteCounting.lineStart(before: at, in: base, notBefore: start)
            let lineEnd = ByteCounting.firstIndex(of: 0x0A, in: base, from: at, to: end)
            linesSeen += ByteCounting.newlines(base, from: counted, to: lineStart)
            counted = lineStart
            onLine(Line(number: linesSeen + 1, offset: regionOffset + lineStart,
                        bytes: UnsafeRawBufferPointer(start: base + lineStart, count: lineEnd - lineStart)))
            return lineEnd + 1
        }
        if table.probeCount > 0 {
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            // The C kernel skips the blocks where no probe matches (AVX2 where the CPU has it);
            // each lane of a matching block is verified against its literals here.
            while true {
                var lanes: UInt32 = 0
                i = Int(fl_probe_scan(bytes, Int64(i), Int64(end), table.probeSet, &lanes))
                guard lanes != 0 else { break }
                var next = i + 32
                while lanes != 0 {
                    let at = i + lanes.trailingZeroBitCount
                    lanes &= lanes &- 1
                    if table.verify(base, at: at, regionStart: start, regionEnd: end) {
                        next = emit(at: at)
                        break
                    }
                }
                i = next
            }
            while i < end {
                if table.isFirstProbeByte[Int(base.load(fromByteOffset: i, as: UInt8.self))] != 0,
                   table.verify(base, at: i, regionStart: start, regionEnd: end) {
                    i = emit(at: i)
                } else {
                    i += 1
                }
            }
        }
        linesSeen += ByteCounting.newlines(base, from: counted, to: end)
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
