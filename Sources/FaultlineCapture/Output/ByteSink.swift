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
        // Sizes far below 2⁶³: unchecked.
        if count &+ extra > capacity { (base, capacity) = Self.grown(base, count: count, capacity: capacity, needed: count &+ extra) }
    }

    /// A bigger buffer holding the first `count` bytes of `base` (which is freed). Static, taking
    /// and giving values: no append hands out the sink's address, so a writer working on a local
    /// sink keeps its count in a register rather than storing and reloading it every append.
    @inline(never)
    private static func grown(_ base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int,
                              needed: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        return (bigger, newCapacity)
    }

    /// A cursor at the end of what is written, for writing `room` more bytes (reserved here);
    /// `end(_:)` takes its position back. A record writer works through one cursor between
    /// reservations, its position in a register, instead of checking room field by field.
    @inline(__always)
    mutating func cursor(room: Int) -> ByteCursor {
        reserve(room)
        return ByteCursor(base + count)
    }

    /// What a cursor from `cursor(room:)` wrote becomes part of the sink.
    @inline(__always)
    mutating func end(_ cursor: ByteCursor) { count = cursor.position - base }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { reserve(1) }
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ pointer: UnsafeRawPointer, count n: Int) {
        var cursor = cursor(room: n)
        cursor.put(pointer, count: n)
        end(cursor)
    }

    /// Copies `n` bytes with a few wide (possibly overlapping) loads and stores: keys and short
    /// fields cost a handful of instructions instead of a byte loop or a call to memmove.
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count n: Int) {
        if n >= 16 {
            if n > 64 {
                target.copyMemory(from: source, byteCount: n)
                return
            }
            var i = 0
            while i + 16 <= n {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self), toByteOffset: i,
                                  as: SIMD16<UInt8>.self)
                i &+= 16
            }
            if i < n {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: n - 16, as: SIMD16<UInt8>.self), toByteOffset: n - 16,
                                  as: SIMD16<UInt8>.self)
            }
        } else if n >= 8 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        } else {
            var i = 0
            while i < n {
                target.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
                i &+= 1
            }
        }
    }

    /// Twelve bytes: `head`'s eight, then `tail`'s four, as they lie in memory.
    @inline(__always)
    mutating func append(_ head: UInt64, _ tail: UInt32) {
        var cursor = cursor(room: 12)
        cursor.put(head, tail)
        end(cursor)
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

    /// Decimal digits of `value` (`ByteCursor.putDecimal`).
    @inline(__always)
    mutating func appendDecimal(_ value: UInt64) {
        var cursor = cursor(room: 20)
        cursor.putDecimal(value)
        end(cursor)
    }

    /// Nanoseconds as seconds with `digits` decimals, truncated (a time or an interval).
    @inline(__always)
    mutating func appendFixed(_ nanos: Int64, digits: Int) {
        var cursor = cursor(room: 32)
        cursor.putFixed(nanos, digits: digits)
        end(cursor)
    }

    /// `appendFixed` for a timestamp, its whole seconds copied from `cache` when they repeat.
    @inline(__always)
    mutating func appendTimestamp(_ nanos: Int64, digits: Int, cache: inout SecondsText) {
        var cursor = cursor(room: 32)
        cursor.putTimestamp(nanos, digits: digits, cache: &cache)
        end(cursor)
    }

    /// An address's text: a dotted quad, or IPv6 text.
    @inline(__always)
    mutating func append(_ address: IPAddress) {
        var cursor = cursor(room: 48)
        cursor.put(address)
        end(cursor)
    }

    /// One `JSONFieldTable` slot.
    @inline(__always)
    mutating func append(slot: UnsafeRawPointer) {
        var cursor = cursor(room: JSONFieldTable.slot)
        cursor.put(slot: slot)
        end(cursor)
    }

    /// Forgets what was written after `mark`.
    @inline(__always)
    mutating func truncate(to mark: Int) { if mark < count { count = max(0, mark) } }

    /// One byte from the capture inside a JSON string (see `appendJSONString`).
    @inline(__always)
    mutating func appendJSONEscaped(_ b: UInt8) {
        var cursor = cursor(room: 6)
        cursor.putJSONEscaped(b)
        end(cursor)
    }

    /// Bytes from the capture inside a JSON string, without the quotes.
    @inline(__always)
    mutating func appendJSONEscaped(_ bytes: UnsafeRawBufferPointer) {
        var cursor = cursor(room: 6 &* bytes.count)
        cursor.putJSONEscaped(bytes)
        end(cursor)
    }

    /// A name's label from the capture inside a JSON string: lower-cased, then escaped.
    @inline(__always)
    mutating func appendJSONLowercased(_ source: UnsafeRawPointer, count n: Int) {
        var cursor = cursor(room: 6 &* n)
        cursor.putJSONLowercased(source, count: n)
        end(cursor)
    }

    /// A JSON string of bytes from the capture (`ByteCursor.putJSONString`).
    @inline(__always)
    mutating func appendJSONString(_ bytes: UnsafeRawBufferPointer) {
        var cursor = cursor(room: 6 &* bytes.count &+ 2)
        cursor.putJSONString(bytes)
        end(cursor)
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

/// Writes an address's text straight to memory reserved beforehand (at most 46 bytes).
struct RawTextSink: TextSink {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    @inline(__always) mutating func byte(_ b: UInt8) {
        base[count] = b
        count &+= 1
    }

    @inline(__always) mutating func decimal(_ v: UInt32) {
        if v >= 100 {
            byte(0x30 &+ UInt8(v / 100))
            byte(0x30 &+ UInt8((v / 10) % 10))
        } else if v >= 10 {
            byte(0x30 &+ UInt8(v / 10))
        }
        byte(0x30 &+ UInt8(v % 10))
    }
}

/// The text of the whole seconds of the last timestamp written (`ByteSink.appendTimestamp`).
struct SecondsText {
    static let capacity = 24
    var seconds: Int64 = -1
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var length = 0
}
