#if canImport(Glibc)
import Glibc
#endif

/// The lookup tables of a `LiteralLineScanner`, laid out flat in memory so the
/// hot loop reads them through raw pointers with no reference counting or
/// bounds checks: the probe vectors, and for each byte at which a probe
/// starts, which literals to verify from there at which offset.
final class ProbeTable: @unchecked Sendable {
    // Immutable after init; freed in deinit.
    /// One splatted vector per single-byte probe.
    let singleVectors: UnsafeMutablePointer<SIMD32<UInt8>>
    let singleCount: Int
    /// Two splatted vectors (first byte, second byte) per pair probe.
    let pairVectors: UnsafeMutablePointer<SIMD32<UInt8>>
    let pairCount: Int
    /// Bytes at which some literal's verification starts (for the scalar tail).
    let isFirstProbeByte: UnsafeMutablePointer<UInt8>
    /// Sites of byte b are `siteLiteral[siteStart[b] ..< siteStart[b + 1]]` (and `siteOffset`).
    private let siteStart: UnsafeMutablePointer<Int32>
    private let siteLiteral: UnsafeMutablePointer<Int32>
    private let siteOffset: UnsafeMutablePointer<Int32>
    private let literalBytes: UnsafeMutablePointer<UInt8>
    private let literalStart: UnsafeMutablePointer<Int32>
    private let literalLength: UnsafeMutablePointer<Int32>

    /// - Parameters:
    ///   - sites: for each literal, the offset of the byte its probe starts at.
    init(literals: [[UInt8]], sites choices: [(literal: Int, offset: Int)], singles: [UInt8], pairs: [(UInt8, UInt8)]) {
        var bytesOf = [[(Int32, Int32)]](repeating: [], count: 256)
        for choice in choices {
            let byte = literals[choice.literal][choice.offset]
            bytesOf[Int(byte)].append((Int32(choice.literal), Int32(choice.offset)))
        }
        singleCount = singles.count
        singleVectors = .allocate(capacity: max(1, singles.count))
        for (index, byte) in singles.enumerated() { (singleVectors + index).initialize(to: SIMD32(repeating: byte)) }
        pairCount = pairs.count
        pairVectors = .allocate(capacity: max(2, 2 * pairs.count))
        for (index, (a, b)) in pairs.enumerated() {
            (pairVectors + 2 * index).initialize(to: SIMD32(repeating: a))
            (pairVectors + 2 * index + 1).initialize(to: SIMD32(repeating: b))
        }
        isFirstProbeByte = .allocate(capacity: 256)
        isFirstProbeByte.initialize(repeating: 0, count: 256)
        for byte in 0..<256 where !bytesOf[byte].isEmpty { isFirstProbeByte[byte] = 1 }
        siteStart = .allocate(capacity: 257)
        let siteCount = choices.count
        siteLiteral = .allocate(capacity: max(1, siteCount))
        siteOffset = .allocate(capacity: max(1, siteCount))
        var next: Int32 = 0
        for byte in 0..<256 {
            siteStart[byte] = next
            for (literal, offset) in bytesOf[byte] {
                siteLiteral[Int(next)] = literal
                siteOffset[Int(next)] = offset
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
        singleVectors.deallocate()
        pairVectors.deallocate()
        isFirstProbeByte.deallocate()
        siteStart.deallocate()
        siteLiteral.deallocate()
        siteOffset.deallocate()
        literalBytes.deallocate()
        literalStart.deallocate()
        literalLength.deallocate()
    }

    /// Whether a literal that has the byte at `position` as its probe occurs there.
    @inline(__always)
    func verify(_ base: UnsafeRawPointer, at position: Int, regionStart: Int, regionEnd: Int) -> Bool {
        let byte = Int(base.load(fromByteOffset: position, as: UInt8.self))
        var site = Int(siteStart[byte])
        let last = Int(siteStart[byte + 1])
        while site < last {
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
