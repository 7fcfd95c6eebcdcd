import CByteScan
#if canImport(Glibc)
import Glibc
#endif

/// Byte-level helpers for the hot path: vectorised newline counting and bounded searches.
enum ByteCounting {
    /// Counts `\n` bytes in `[start, end)` of `base` (the C kernel: AVX2 where the CPU has it).
    @inline(__always)
    static func newlines(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        guard start < end else { return 0 }
        return Int(fl_count_newlines(base.assumingMemoryBound(to: UInt8.self), Int64(start), Int64(end)))
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
