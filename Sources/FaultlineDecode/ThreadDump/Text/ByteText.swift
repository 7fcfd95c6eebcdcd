#if canImport(Glibc)
import Glibc
#endif
import FaultlineCore

/// Small byte-level helpers for the thread-dump grammar: prefix tests against
/// static literals, `memmem` searches, trimming and number parsing, all on
/// `UnsafeRawBufferPointer` so a line never becomes a `String` unless a field
/// of it is kept.
enum ByteText {
    @inline(__always)
    static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString, at offset: Int = 0) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset >= 0, bytes.count - offset >= count, let base = bytes.baseAddress else { return false }
        return memcmp(base + offset, literal.utf8Start, count) == 0
    }

    /// Index of the first occurrence of `literal` in `bytes[from...]`, or nil (`memchr` for its first byte, then `memcmp`).
    @inline(__always)
    static func find(_ literal: StaticString, in bytes: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        let count = literal.utf8CodeUnitCount
        guard from >= 0, bytes.count - from >= count, let base = bytes.baseAddress else { return nil }
        let first = Int32(literal.utf8Start.pointee)
        let needle = UnsafeRawPointer(literal.utf8Start)
        var position = from
        let last = bytes.count - count
        while position <= last {
            guard let hit = memchr(base + position, first, last - position + 1) else { return nil }
            let at = UnsafeRawPointer(hit) - base
            if memcmp(base + at, needle, count) == 0 { return at }
            position = at + 1
        }
        return nil
    }

    /// Index of the last occurrence of `literal` in `bytes`, or nil.
    static func findLast(_ literal: StaticString, in bytes: UnsafeRawBufferPointer) -> Int? {
        var result: Int?
        var from = 0
        while let hit = find(literal, in: bytes, from: from) {
            result = hit
            from = hit + 1
        }
        return result
    }

    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), bytes.count - from) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    static func lastIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, before end: Int? = nil) -> Int? {
        var i = min(end ?? bytes.count, bytes.count) - 1
        while i >= 0 {
            if bytes[i] == byte { return i }
            i -= 1
        }
        return nil
    }

    @inline(__always)
    static func slice(_ bytes: UnsafeRawBufferPointer, _ from: Int, _ to: Int? = nil) -> UnsafeRawBufferPointer {
        let end = min(to ?? bytes.count, bytes.count)
        let start = min(max(0, from), end)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// Leading spaces and tabs.
    @inline(__always)
    static func indent(_ bytes: UnsafeRawBufferPointer) -> Int {
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        return i
    }

    /// `bytes` without leading and trailing spaces, tabs and CRs.
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return slice(bytes, start, end)
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt64? {
        switch b {
        case 0x30...0x39: return UInt64(b - 0x30)
        case 0x61...0x66: return UInt64(b - 0x61 + 10)
        case 0x41...0x46: return UInt64(b - 0x41 + 10)
        default: return nil
        }
    }

    /// A decimal integer at `bytes[at...]`; returns the value and the index after it.
    static func decimal(_ bytes: UnsafeRawBufferPointer, at: Int) -> (value: Int, end: Int)? {
        var i = at
        var value = 0
        while i < bytes.count, isDigit(bytes[i]), i - at < 18 {
            value = value * 10 + Int(bytes[i] - 0x30)
            i += 1
        }
        return i > at ? (value, i) : nil
    }

    /// A hexadecimal number with or without `0x` at `bytes[at...]`: value, digit count, whether prefixed, end index.
    static func hex(_ bytes: UnsafeRawBufferPointer, at: Int) -> (value: UInt64, digits: Int, prefixed: Bool, end: Int)? {
        var i = at
        var prefixed = false
        if i + 1 < bytes.count, bytes[i] == 0x30, bytes[i + 1] == 0x78 || bytes[i + 1] == 0x58 {
            prefixed = true
            i += 2
        }
        let start = i
        var value: UInt64 = 0
        while i < bytes.count, let digit = hexValue(bytes[i]) {
            if i - start < 16 { value = value << 4 | digit }
            i += 1
        }
        guard i > start else { return nil }
        return (value, i - start, prefixed, i)
    }

    /// A decimal number with an optional fraction (`1124.82`) at `bytes[at...]`.
    static func double(_ bytes: UnsafeRawBufferPointer, at: Int) -> (value: Double, end: Int)? {
        guard let whole = decimal(bytes, at: at) else { return nil }
        var value = Double(whole.value)
        var i = whole.end
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < bytes.count, isDigit(bytes[i]) {
                value += Double(bytes[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        return (value, i)
    }

    /// A `String` of the bytes, invalid UTF-8 replaced by U+FFFD.
    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A name read from a dump: its UTF-8 as text, and each byte that is not part of valid UTF-8 (a
    /// Latin-1 or CP1252 byte from an old Windows JVM) kept as the escape `\xHH`, so the thread is
    /// neither dropped nor renamed to U+FFFD and the report shows which byte it was.
    static func name(_ bytes: UnsafeRawBufferPointer) -> String {
        guard !isValidUTF8(bytes) else { return string(bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
            if length == 1 {
                out.append(lead)
                i += 1
                continue
            }
            if length > 1, i + length <= bytes.count,
               String(validating: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + length)]), as: UTF8.self) != nil {
                out.append(contentsOf: bytes[i..<(i + length)])
                i += length
                continue
            }
            out += [0x5C, 0x78, hex[Int(lead >> 4)], hex[Int(lead & 0x0F)]]
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the bytes are valid UTF-8 (ASCII fast path).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var ascii = true
        for b in bytes where b >= 0x80 {
            ascii = false
            break
        }
        if ascii { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// A 64-bit hash of the bytes, eight at a time (stable across runs and machines: stacks are
    /// compared across inputs by it).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        var i = 0
        let count = bytes.count
        while i + 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 32)
    }

    /// A local date and time `YYYY-MM-DD HH:MM:SS` at `bytes[at...]`, as seconds since
    /// the epoch as if it were UTC (the caller applies the time zone).
    static func localDateTime(_ bytes: UnsafeRawBufferPointer, at: Int) -> Double? {
        guard bytes.count - at >= 19 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in (at + from)..<(at + from + count) {
                guard isDigit(bytes[i]) else { return nil }
                value = value * 10 + Int(bytes[i] - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[at + 4] == 0x2D, let month = digits(5, 2), bytes[at + 7] == 0x2D,
              let day = digits(8, 2), bytes[at + 10] == 0x20, let hour = digits(11, 2), bytes[at + 13] == 0x3A,
              let minute = digits(14, 2), bytes[at + 16] == 0x3A, let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second)
    }
}
