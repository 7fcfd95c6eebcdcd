import CByteScan
#if canImport(Glibc)
import Glibc
#endif

/// The lookup tables of a `LiteralLineScanner`, laid out flat in memory so the
/// hot loop reads them through raw pointers with no reference counting or
/// bounds checks: the probe vectors (splatted, 32-byte aligned, as the C
/// kernel `fl_probe_scan` reads them), and for each byte at which a probe
/// starts, which literals to verify from there at which offset.
final class ProbeTable: @unchecked Sendable {
    // Immutable after init; freed in deinit.
    /// One splatted 32-byte vector per single-byte probe, then two (first byte, second byte) per pair probe.
    private let vectors: UnsafeMutableRawPointer
    /// What `fl_probe_scan` reads: pointers into `vectors` and the counts.
    let probeSet: UnsafeMutablePointer<fl_probe_set>
    var probeCount: Int { Int(probeSet.pointee.singleCount + probeSet.pointee.pairCount) }
    /// Bytes at which some literal's verification starts (for the scalar tail).
    let isFirstProbeByte: UnsafeMutablePointer<UInt8>
    /// One bit per byte pair `b0 << 8 | b1`: whether some site starts with that pair (or with `b0` as a
    /// single-byte probe). The C kernel drops the other lanes (the nibble buckets' false candidates)
    /// before returning a block, so they never reach verification.
    private let pairAdmitted: UnsafeMutablePointer<UInt64>
    /// Sites of byte b are `siteLiteral[siteStart[b] ..< siteStart[b + 1]]` (and `siteOffset`).
    private let siteStart: UnsafeMutablePointer<Int32>
    private let siteLiteral: UnsafeMutablePointer<Int32>
    private let siteOffset: UnsafeMutablePointer<Int32>
    /// Up to 8 bytes of the site's literal from its probe on (little-endian), and which of them count:
    /// one load and compare rejects almost every false candidate before `memcmp`.
    private let siteWindow: UnsafeMutablePointer<UInt64>
    private let siteWindowMask: UnsafeMutablePointer<UInt64>
    private let literalBytes: UnsafeMutablePointer<UInt8>
    private let literalStart: UnsafeMutablePointer<Int32>
    private let literalLength: UnsafeMutablePointer<Int32>

    /// - Parameters:
    ///   - sites: for each literal, the offset of the byte its probe starts at, and whether the probe is a pair.
    ///   - nibbles: the probes' nibble-bucket shuffle tables (128 bytes), or nil to compare probe by probe.
    init(literals: [[UInt8]], sites choices: [(literal: Int, offset: Int, pair: Bool)], singles: [UInt8], pairs: [(UInt8, UInt8)],
         nibbles: [UInt8]?, kernel: ScanKernel = .best) {
        var bytesOf = [[(Int32, Int32)]](repeating: [], count: 256)
        pairAdmitted = .allocate(capacity: 1024)
        pairAdmitted.initialize(repeating: 0, count: 1024)
        for choice in choices {
            let literal = literals[choice.literal]
            let byte = literal[choice.offset]
            bytesOf[Int(byte)].append((Int32(choice.literal), Int32(choice.offset)))
            let seconds: [Int] = choice.pair && choice.offset + 1 < literal.count ? [Int(literal[choice.offset + 1])] : Array(0..<256)
            for second in seconds {
                let key = Int(byte) << 8 | second
                pairAdmitted[key >> 6] |= 1 << UInt64(key & 63)
            }
        }
        let splats = singles + pairs.flatMap { [$0.0, $0.1] }
        let nibbleBytes = nibbles?.count ?? 0
        vectors = .allocate(byteCount: 32 * max(1, splats.count) + nibbleBytes, alignment: 32)
        for (index, byte) in splats.enumerated() { (vectors + 32 * index).initializeMemory(as: UInt8.self, repeating: byte, count: 32) }
        let bytes = vectors.assumingMemoryBound(to: UInt8.self)
        let nibbleStart = bytes + 32 * max(1, splats.count)
        for (index, byte) in (nibbles ?? []).enumerated() { nibbleStart[index] = byte }
        probeSet = .allocate(capacity: 1)
        probeSet.initialize(to: fl_probe_set(singles: bytes, singleCount: Int64(singles.count),
                                             pairs: bytes + 32 * singles.count, pairCount: Int64(pairs.count),
                                             nibbles: nibbles == nil ? nil : UnsafePointer(nibbleStart), kernel: kernel.rawValue,
                                             admitted: UnsafePointer(pairAdmitted)))
        isFirstProbeByte = .allocate(capacity: 256)
        isFirstProbeByte.initialize(repeating: 0, count: 256)
        for byte in 0..<256 where !bytesOf[byte].isEmpty { isFirstProbeByte[byte] = 1 }
        siteStart = .allocate(capacity: 257)
        let siteCount = choices.count
        siteLiteral = .allocate(capacity: max(1, siteCount))
        siteOffset = .allocate(capacity: max(1, siteCount))
        siteWindow = .allocate(capacity: max(1, siteCount))
        siteWindowMask = .allocate(capacity: max(1, siteCount))
        var next: Int32 = 0
        for byte in 0..<256 {
            siteStart[byte] = next
            for (literal, offset) in bytesOf[byte] {
                siteLiteral[Int(next)] = literal
                siteOffset[Int(next)] = offset
                var window: UInt64 = 0
                var mask: UInt64 = 0
                let bytes = literals[Int(literal)]
                for k in 0..<min(8, bytes.count - Int(offset)) {
                    window |= UInt64(bytes[Int(offset) + k]) << UInt64(8 * k)
                    mask |= UInt64(0xFF) << UInt64(8 * k)
                }
                siteWindow[Int(next)] = window
                siteWindowMask[Int(next)] = mask
                next += 1
            }
        }
        siteStart[256] = next
        let total = literals.reduce(0) { $0 + $1.count }
        literalBytes = .allocate(capacity: max(1, total))
        literalStart = .allocate(capacity: max(1, literals.count))
        literalLength = .allocate(capacity: max(1, literals.count))
        var offset = 0
        for (index, literal) in literals.enumerated() {
            literalStart[index] = Int32(offset)
            literalLength[index] = Int32(literal.count)
            for byte in literal {
                literalBytes[offset] = byte
                offset += 1
            }
        }
    }

    deinit {
        vectors.deallocate()
        probeSet.deallocate()
        isFirstProbeByte.deallocate()
        pairAdmitted.deallocate()
        siteStart.deallocate()
        siteLiteral.deallocate()
        siteOffset.deallocate()
        siteWindow.deallocate()
        siteWindowMask.deallocate()
        literalBytes.deallocate()
        literalStart.deallocate()
        literalLength.deallocate()
    }

    /// Which vector kernel scans: the best the CPU has, or one pinned (tests check each against a naive search).
    enum ScanKernel: Int64 {
        case best = 0
        case avx2Probes = 1
        case sse2 = 2
    }

    /// Whether a literal that has the byte at `position` as its probe occurs there.
    @inline(__always)
    func verify(_ base: UnsafeRawPointer, at position: Int, regionStart: Int, regionEnd: Int) -> Bool {
        let byte = Int(base.load(fromByteOffset: position, as: UInt8.self))
        var site = Int(siteStart[byte])
        let last = Int(siteStart[byte + 1])
        // Eight bytes from the candidate on, when the region has them.
        let ahead: UInt64? = position + 8 <= regionEnd ? UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self)) : nil
        while site < last {
            if let ahead, ahead & siteWindowMask[site] != siteWindow[site] {
                site += 1
                continue
            }
            let literal = Int(siteLiteral[site])
            let length = Int(literalLength[literal])
            let start = position - Int(siteOffset[site])
            if start >= regionStart, start + length <= regionEnd,
               memcmp(base + start, literalBytes + Int(literalStart[literal]), length) == 0 {
                return true
            }
            site += 1
        }
        return false
    }
}
