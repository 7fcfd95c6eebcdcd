/// A decoded domain name's text (lower-cased, dotted, no trailing dot),
/// kept inline for names up to 48 bytes so a query costs no allocation and
/// no reference counting as it moves between the tracker and the printer;
/// longer names go to an array.
public struct DNSName: Sendable, Hashable {
    private var inline: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var length: UInt16 = 0
    private var long: [UInt8]?
    static let inlineCapacity = 48

    public init() {}

    /// A name already lower-cased in inline form, zero past `length` (at most `inlineCapacity`).
    @inline(__always)
    init(inline: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64), length: Int) {
        self.inline = inline
        self.length = UInt16(truncatingIfNeeded: length)
    }

    public init(_ bytes: [UInt8]) {
        if bytes.count <= Self.inlineCapacity {
            length = UInt16(bytes.count)
            withUnsafeMutableBytes(of: &inline) { storage in
                for (i, b) in bytes.enumerated() { storage[i] = b }
            }
        } else {
            long = bytes
            length = UInt16(clamping: bytes.count)
        }
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count <= Self.inlineCapacity {
            length = UInt16(bytes.count)
            withUnsafeMutableBytes(of: &inline) { storage in
                if let source = bytes.baseAddress, bytes.count > 0 {
                    storage.baseAddress?.copyMemory(from: source, byteCount: bytes.count)
                }
            }
        } else {
            long = Array(bytes.bindMemory(to: UInt8.self))
            length = UInt16(clamping: bytes.count)
        }
    }

    public var count: Int { long?.count ?? Int(length) }
    public var isEmpty: Bool { count == 0 }

    /// The text's bytes, for the duration of `body`.
    @inline(__always)
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let long { return long.withUnsafeBytes(body) }
        var copy = inline
        let n = Int(length)
        return Swift.withUnsafeBytes(of: &copy) { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }

    /// The text as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) } }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.long == nil, rhs.long == nil {
            return lhs.inline == rhs.inline
        }
        return lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// Collects a name of up to `DNSName.inlineCapacity` bytes, lower-cased, into 64 bytes of memory
/// the caller owns (scratch, or an arena where the name is to stay): each label is copied eight
/// bytes at a time and lower-cased in the register on the way, so the name is stored once and
/// never read back to be changed (a load over several narrower stores still waiting to be written
/// cannot take its bytes from them, and stalls). Bytes past the name's end may be written too. A
/// longer name only sets `tooLong` (the caller then collects it with `DNSNameCollector`).
struct RawNameCollector: DNSNameSink {
    /// At least 64 writable bytes.
    let base: UnsafeMutableRawPointer
    var count = 0
    var tooLong = false
    /// 0x80 in a byte of some word for each capital seen.
    private var capitalBits: UInt64 = 0

    init(base: UnsafeMutableRawPointer) { self.base = base }

    /// Whether the name had capitals (its spelling as sent differs from the name collected).
    var sawUppercase: Bool { capitalBits != 0 }

    /// 0x80 in each byte of `x` that is an ASCII capital.
    @inline(__always)
    static func capitals(_ x: UInt64) -> UInt64 {
        let low7 = x & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = low7 &+ 0x2525_2525_2525_2525
        return atLeastA & ~pastZ & ~x & 0x8080_8080_8080_8080
    }

    /// The first `count` bytes of a word as they lie in memory (all ones from 8 on).
    @inline(__always)
    static func mask(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : UInt64(littleEndian: (1 &<< UInt64(8 &* count)) &- 1)
    }

    @inline(__always)
    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count n: Int) {
        // Small offsets and counts (a label is at most 63 bytes, the name at most 48 here): unchecked arithmetic.
        let needed = count &+ (count > 0 ? 1 : 0) &+ n
        guard !tooLong, needed <= DNSName.inlineCapacity, let source = message.baseAddress else {
            tooLong = true
            return
        }
        var at = count
        if at > 0 {
            base.storeBytes(of: 0x2E, toByteOffset: at, as: UInt8.self)
            at &+= 1
        }
        // Whole words (a word's tail past the label is overwritten by what follows, or lies past
        // the end); near the message's end, the word ending there, shifted so the label's bytes come
        // first; byte by byte only in a message shorter than a word.
        var i = 0
        while i < n {
            let offset = from &+ i
            if offset &+ 8 <= message.count || message.count >= 8 {
                var x = source.loadUnaligned(fromByteOffset: min(offset, message.count &- 8), as: UInt64.self)
                if offset &+ 8 > message.count {
                    x = UInt64(littleEndian: UInt64(littleEndian: x) &>> UInt64(8 &* (offset &+ 8 &- message.count)))
                }
                let capitals = Self.capitals(x) & Self.mask(n &- i)
                capitalBits |= capitals
                base.storeBytes(of: x | (capitals >> 2), toByteOffset: at &+ i, as: UInt64.self)
                i &+= 8
            } else {
                var b = source.load(fromByteOffset: from + i, as: UInt8.self)
                if b >= 0x41 && b <= 0x5A {
                    b |= 0x20
                    capitalBits |= 0x80
                }
                base.storeBytes(of: b, toByteOffset: at + i, as: UInt8.self)
                i += 1
            }
        }
        count = at &+ n
    }

    /// The name, zero past its end, and whether it had capitals.
    @inline(__always)
    func finish() -> (name: DNSName, sawUppercase: Bool) {
        @inline(__always) func word(_ k: Int) -> UInt64 {
            let valid = count - 8 * k
            if valid <= 0 { return 0 }
            return base.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self) & Self.mask(valid)
        }
        let inline = (word(0), word(1), word(2), word(3), word(4), word(5))
        return (DNSName(inline: inline, length: count), sawUppercase)
    }
}

/// Collects a name into a `DNSName`, lower-cased, noting capitals.
struct DNSNameCollector: DNSNameSink {
    var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var overflow: [UInt8]?
    var sawUppercase = false

    @inline(__always)
    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count labelCount: Int) {
        let needed = count + (count > 0 ? 1 : 0) + labelCount
        if overflow == nil, needed <= 64 {
            withUnsafeMutableBytes(of: &buffer) { out in
                if count > 0 {
                    out[count] = 0x2E
                    count += 1
                }
                for i in from..<(from + labelCount) {
                    var c = message[i]
                    if c >= 0x41, c <= 0x5A {
                        sawUppercase = true
                        c |= 0x20
                    }
                    out[count] = c
                    count += 1
                }
            }
            return
        }
        if overflow == nil {
            overflow = withUnsafeBytes(of: &buffer) { Array($0.prefix(count)) }
        }
        if !(overflow?.isEmpty ?? true) { overflow?.append(0x2E) }
        for i in from..<(from + labelCount) {
            var c = message[i]
            if c >= 0x41, c <= 0x5A {
                sawUppercase = true
                c |= 0x20
            }
            overflow?.append(c)
        }
        count = overflow?.count ?? count
    }

    var name: DNSName {
        if let overflow { return DNSName(overflow) }
        var copy = buffer
        let n = count
        return withUnsafeBytes(of: &copy) { DNSName(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
}
