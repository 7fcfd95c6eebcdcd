/// A growable output buffer written through a raw pointer: appends are a
/// bounds check and a store, without the uniqueness and capacity bookkeeping
/// of `Array.append`, which dominated the cost of printing a record.
/// Owned by one writer; freed with `deallocate()`.
struct ByteSink {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1 << 17) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ pointer: UnsafeRawPointer, count n: Int) {
        reserve(n)
        if n <= 24 {
            // Keys and short fields: a byte loop beats a call to memmove.
            let source = pointer.assumingMemoryBound(to: UInt8.self)
            var i = 0
            while i < n {
                base[count &+ i] = source[i]
                i &+= 1
            }
        } else {
            (base + count).update(from: pointer.assumingMemoryBound(to: UInt8.self), count: n)
        }
        count += n
    }

    @inline(__always)
    mutating func append(_ text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    @inline(__always)
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            if let address = raw.baseAddress { append(address, count: raw.count) }
        }
    }

    private static let pairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Decimal digits of `value`, two at a time from a table.
    @inline(__always)
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(0x30 &+ UInt8(value))
            return
        }
        reserve(20)
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        writeDigits(value, count: digits)
    }

    /// Exactly `count` digits of `value` (zero-padded), right to left, at the end; capacity reserved by the caller.
    @inline(__always)
    private mutating func writeDigits(_ value: UInt64, count digits: Int) {
        let table = Self.pairs.utf8Start
        var v = value
        var position = count + digits
        while position - count >= 2 {
            let r = Int(v % 100) * 2
            v /= 100
            position -= 2
            base[position] = table[r]
            base[position + 1] = table[r + 1]
        }
        if position > count {
            base[count] = 0x30 &+ UInt8(v % 10)
        }
        count += digits
    }

    private static let powers: [Int64] = [1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1]

    /// Nanoseconds as seconds with `digits` decimals, truncated (a time or an interval).
    @inline(__always)
    mutating func appendFixed(_ nanos: Int64, digits: Int) {
        var value = nanos
        if value < 0 {
            append(0x2D)
            value = value == Int64.min ? Int64.max : -value
        }
        appendDecimal(UInt64(value / 1_000_000_000))
        let digits = max(0, min(9, digits))
        guard digits > 0 else { return }
        reserve(10)
        base[count] = 0x2E
        count += 1
        let fraction = (value % 1_000_000_000) / Self.powers[digits]
        writeDigits(UInt64(fraction), count: digits)
    }

    /// An IPv4 address as a dotted quad; IPv6 through `IPAddress.appendText`.
    @inline(__always)
    mutating func append(_ address: IPAddress) {
        if address.isIPv6 {
            reserve(46)
            address.appendText(into: &self)
            return
        }
        let v = address.ipv4
        appendDecimal(UInt64(v >> 24))
        append(0x2E)
        appendDecimal(UInt64((v >> 16) & 0xFF))
        append(0x2E)
        appendDecimal(UInt64((v >> 8) & 0xFF))
        append(0x2E)
        appendDecimal(UInt64(v & 0xFF))
    }

    private static let hex: StaticString = "0123456789abcdef"

    /// Forgets what was written after `mark`.
    @inline(__always)
    mutating func truncate(to mark: Int) { if mark < count { count = max(0, mark) } }

    /// One byte from the capture inside a JSON string (see `appendJSONString`).
    @inline(__always)
    mutating func appendJSONEscaped(_ b: UInt8) {
        switch b {
        case 0x22, 0x5C:
            append(0x5C)
            append(b)
        case 0x3C, 0x3E, 0x26:
            append("\\u00")
            append(Self.hex.utf8Start[Int(b >> 4)])
            append(Self.hex.utf8Start[Int(b & 0xF)])
        case 0x20...0x7E:
            append(b)
        default:
            append("\\\\x")
            append(Self.hex.utf8Start[Int(b >> 4)])
            append(Self.hex.utf8Start[Int(b & 0xF)])
        }
    }

    /// Bytes from the capture inside a JSON string, without the quotes.
    @inline(__always)
    mutating func appendJSONEscaped(_ bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count)
        for b in bytes {
            if b >= 0x20, b <= 0x7E, b != 0x22, b != 0x5C, b != 0x3C, b != 0x3E, b != 0x26 {
                base[count] = b
                count += 1
                if count == capacity { reserve(bytes.count + 1) }
            } else {
                appendJSONEscaped(b)
            }
        }
    }

    /// A JSON string of bytes from the capture: printable ASCII as is, `"` and `\` escaped,
    /// `<`, `>`, `&` as `\u003c`…, anything else as the text `\xNN` (Zeek's way).
    @inline(__always)
    mutating func appendJSONString(_ bytes: UnsafeRawBufferPointer) {
        append(0x22)
        appendJSONEscaped(bytes)
        append(0x22)
    }

    @inline(__always)
    mutating func appendJSONString(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { appendJSONString($0) }
    }
}

extension ByteSink: TextSink {
    @inline(__always) mutating func byte(_ b: UInt8) { append(b) }
    @inline(__always) mutating func decimal(_ v: UInt32) { appendDecimal(UInt64(v)) }
}
