#if canImport(Glibc)
import Glibc
#endif

/// Byte-level helpers for the hot path: vectorised newline counting and bounded searches.
enum ByteCounting {
    /// Counts `\n` bytes in `[start, end)` of `base`, 32 bytes at a time.
    @inline(__always)
    static func newlines(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        var i = start
        var total = 0
        let newline = SIMD32<UInt8>(repeating: 0x0A)
        let zero = SIMD32<UInt8>(repeating: 0)
        while i + 32 <= end {
            var acc = zero
            var rounds = 0
            while rounds < 255, i + 32 <= end {
                let v = base.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // A matched lane is 0xFF, so subtracting it adds one.
                acc &-= unsafeBitCast(v .== newline, to: SIMD32<UInt8>.self)
                i += 32
                rounds += 1
            }
            total += Int(SIMD32<UInt16>(truncatingIfNeeded: acc).wrappedSum())
        }
        while i < end {
            if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { total += 1 }
            i += 1
        }
        return total
    }

    /// Index of the first `byte` in `[start, end)`, or `end`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        guard start < end, let hit = memchr(base + start, Int32(byte), end - start) else { return end }
        return UnsafeRawPointer(hit) - base
    }

    /// Index just after the last `\n` in `[start, end)`, or `start` when there is none.
    @inline(__always)
    static func lineStart(before position: Int, in base: UnsafeRawPointer, notBefore start: Int) -> Int {
        var i = position
        while i > start {
            if base.load(fromByteOffset: i - 1, as: UInt8.self) == 0x0A { return i }
            i -= 1
        }
        return start
    }
}
