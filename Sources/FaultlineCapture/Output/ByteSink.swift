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
        if count + extra > capacity { (base, capacity) = Self.grown(base, count: count, capacity: capacity, needed: count + extra) }
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

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { reserve(1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ pointer: UnsafeRawPointer, count n: Int) {
        reserve(n)
        Self.copy(pointer, to: UnsafeMutableRawPointer(base + count), count: n)
        count += n
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
        reserve(12)
        let target = UnsafeMutableRawPointer(base + count)
        target.storeBytes(of: head, as: UInt64.self)
        target.storeBytes(of: tail, toByteOffset: 8, as: UInt32.self)
        count += 12
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
        let digits = Self.digitCount(value)
        writeDigits(value, count: digits)
    }

    /// How many decimal digits `value` has (at least 1).
    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        if value < 100_000 {
            if value < 100 { return value < 10 ? 1 : 2 }
            return value < 1000 ? 3 : (value < 10_000 ? 4 : 5)
        }
        if value < 10_000_000_000 {
            if value < 10_000_000 { return value < 1_000_000 ? 6 : 7 }
            return value < 100_000_000 ? 8 : (value < 1_000_000_000 ? 9 : 10)
        }
        var digits = 11
        var probe = value / 100_000_000_000
        while probe > 0 {
            probe /= 10
            digits += 1
        }
        return digits
    }

    /// Exactly `count` digits of `value` (zero-padded), right to left, at the end; capacity reserved by the caller.
    /// Two digits a step from `pairs`, in 32-bit arithmetic whenever the value fits.
    @inline(__always)
    private mutating func writeDigits(_ value: UInt64, count digits: Int) {
        let table = UnsafeRawPointer(Self.pairs.utf8Start)
        let target = UnsafeMutableRawPointer(base + count)
        var position = digits
        if value <= UInt64(UInt32.max) {
            var v = UInt32(truncatingIfNeeded: value)
            while position >= 2 {
                let r = Int(v % 100) &* 2
                v /= 100
                position &-= 2
                target.storeBytes(of: table.loadUnaligned(fromByteOffset: r, as: UInt16.self), toByteOffset: position, as: UInt16.self)
            }
            if position > 0 { target.storeBytes(of: 0x30 &+ UInt8(truncatingIfNeeded: v % 10), as: UInt8.self) }
        } else {
            var v = value
            while position >= 2 {
                let r = Int(v % 100) &* 2
                v /= 100
                position &-= 2
                target.storeBytes(of: table.loadUnaligned(fromByteOffset: r, as: UInt16.self), toByteOffset: position, as: UInt16.self)
            }
            if position > 0 { target.storeBytes(of: 0x30 &+ UInt8(truncatingIfNeeded: v % 10), as: UInt8.self) }
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
        appendFraction(value, digits: digits)
    }

    /// `appendFixed` for a timestamp, whose whole seconds are copied from `cache` when they are
    /// the last ones written (consecutive records mostly share them).
    @inline(__always)
    mutating func appendTimestamp(_ nanos: Int64, digits: Int, cache: inout SecondsText) {
        guard nanos >= 0 else { return appendFixed(nanos, digits: digits) }
        let whole = nanos / 1_000_000_000
        if whole == cache.seconds {
            reserve(SecondsText.capacity)
            withUnsafeBytes(of: &cache.text) { text in
                if let source = text.baseAddress { Self.copy(source, to: UnsafeMutableRawPointer(base + count), count: cache.length) }
            }
            count += cache.length
        } else {
            let start = count
            appendDecimal(UInt64(whole))
            let length = count - start
            if length <= SecondsText.capacity {
                cache.seconds = whole
                cache.length = length
                let written = UnsafeRawPointer(base + start)
                withUnsafeMutableBytes(of: &cache.text) { text in
                    text.baseAddress?.copyMemory(from: written, byteCount: length)
                }
            }
        }
        appendFraction(nanos, digits: digits)
    }

    /// `.` and the first `digits` decimals of the fraction of a second in `value` (nothing for 0 digits).
    @inline(__always)
    private mutating func appendFraction(_ value: Int64, digits: Int) {
        let digits = max(0, min(9, digits))
        guard digits > 0 else { return }
        reserve(10)
        base[count] = 0x2E
        count += 1
        let rest = value % 1_000_000_000
        let fraction = digits == 6 ? rest / 1000 : (digits == 9 ? rest : rest / Self.powers[digits])
        writeDigits(UInt64(fraction), count: digits)
    }

    /// Each octet's text and a dot, four bytes an octet (`7...`, `42..`, `255.`).
    private static let octets: StaticString = "0...1...2...3...4...5...6...7...8...9...10..11..12..13..14..15..16..17..18..19..20..21..22..23..24..25..26..27..28..29..30..31..32..33..34..35..36..37..38..39..40..41..42..43..44..45..46..47..48..49..50..51..52..53..54..55..56..57..58..59..60..61..62..63..64..65..66..67..68..69..70..71..72..73..74..75..76..77..78..79..80..81..82..83..84..85..86..87..88..89..90..91..92..93..94..95..96..97..98..99..100.101.102.103.104.105.106.107.108.109.110.111.112.113.114.115.116.117.118.119.120.121.122.123.124.125.126.127.128.129.130.131.132.133.134.135.136.137.138.139.140.141.142.143.144.145.146.147.148.149.150.151.152.153.154.155.156.157.158.159.160.161.162.163.164.165.166.167.168.169.170.171.172.173.174.175.176.177.178.179.180.181.182.183.184.185.186.187.188.189.190.191.192.193.194.195.196.197.198.199.200.201.202.203.204.205.206.207.208.209.210.211.212.213.214.215.216.217.218.219.220.221.222.223.224.225.226.227.228.229.230.231.232.233.234.235.236.237.238.239.240.241.242.243.244.245.246.247.248.249.250.251.252.253.254.255."

    /// An IPv4 address as a dotted quad (four-byte stores from `octets`); IPv6 through `IPAddress.appendText`.
    @inline(__always)
    mutating func append(_ address: IPAddress) {
        reserve(48)
        if address.isIPv6 {
            var raw = RawTextSink(base: base + count)
            address.appendText(into: &raw)
            count += raw.count
            return
        }
        let v = address.ipv4
        let table = UnsafeRawPointer(Self.octets.utf8Start)
        let target = UnsafeMutableRawPointer(base)
        @inline(__always) func octet(_ o: UInt32, dot: Bool) {
            let word = table.loadUnaligned(fromByteOffset: Int(o) &* 4, as: UInt32.self)
            target.storeBytes(of: word, toByteOffset: count, as: UInt32.self)
            count &+= 1 &+ (o >= 10 ? 1 : 0) &+ (o >= 100 ? 1 : 0) &+ (dot ? 1 : 0)
        }
        octet(v >> 24, dot: true)
        octet((v >> 16) & 0xFF, dot: true)
        octet((v >> 8) & 0xFF, dot: true)
        octet(v & 0xFF, dot: false)
    }

    /// Appends one `JSONFieldTable` slot: all 64 bytes are stored, the count moves by the text's length.
    @inline(__always)
    mutating func append(slot: UnsafeRawPointer) {
        reserve(JSONFieldTable.slot)
        let target = UnsafeMutableRawPointer(base + count)
        for i in stride(from: 0, to: JSONFieldTable.slot, by: 16) {
            target.storeBytes(of: slot.load(fromByteOffset: i, as: SIMD16<UInt8>.self), toByteOffset: i, as: SIMD16<UInt8>.self)
        }
        count += Int(slot.load(fromByteOffset: JSONFieldTable.slot - 1, as: UInt8.self))
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

    /// `1` for a byte that goes into a JSON string as it is (printable ASCII but `"`, `\\`, `<`, `>`, `&`).
    private static let jsonPlain: StaticString = "0000000000000000000000000000000011011101111111111111111111110101111111111111111111111111111101111111111111111111111111111111111000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"

    /// Bytes from the capture inside a JSON string, without the quotes.
    @inline(__always)
    mutating func appendJSONEscaped(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        let n = bytes.count
        reserve(n)
        let plain = Self.jsonPlain.utf8Start
        var i = 0
        // Eight bytes at a time while none needs escaping (names mostly), then byte by byte.
        while i + 8 <= n {
            let word = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            guard Self.isPlainJSON(word) else { break }
            UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
            count &+= 8
            i &+= 8
        }
        // The last few bytes (fewer than eight, all before them written) as the word that ends with
        // them, stored over what is already there (the same bytes), when it is plain too: no byte
        // loop for the tail of a long name.
        if i < n, n >= 8, n - i < 8 {
            let word = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            if Self.isPlainJSON(word) {
                let rest = n - i
                UnsafeMutableRawPointer(base + count + rest - 8).storeBytes(of: word, as: UInt64.self)
                count &+= rest
                return
            }
        }
        while i < n {
            appendJSONByte(source.load(fromByteOffset: i, as: UInt8.self), plain: plain, remaining: n - i)
            i &+= 1
        }
    }

    /// One byte inside a JSON string, into room reserved for `remaining` plain bytes: as is when
    /// `plain` (the `jsonPlain` table) says so, else escaped, and the room made good again.
    @inline(__always)
    private mutating func appendJSONByte(_ b: UInt8, plain: UnsafePointer<UInt8>, remaining: Int) {
        if plain[Int(b)] == 0x31 {
            base[count] = b
            count &+= 1
        } else {
            appendJSONEscaped(b)
            reserve(remaining)
        }
    }

    /// Whether none of the eight bytes in `word` needs escaping in a JSON string (see `jsonPlain`):
    /// all in 0x20…0x7E and none of `"`, `\\`, `<`, `>`, `&`. May say no for a plain word, never yes
    /// for one that is not.
    @inline(__always)
    static func isPlainJSON(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        // A byte below 0x20, or from 0x7F up (0x7F + 1 and anything from 0x80 set the high bit).
        var bad = (word &- 0x2020_2020_2020_2020) & ~word & highs
        bad |= (word | (word &+ ones)) & highs
        bad |= hasZero(word ^ (0x22 &* ones)) | hasZero(word ^ (0x5C &* ones))
        bad |= hasZero(word ^ (0x3C &* ones)) | hasZero(word ^ (0x3E &* ones)) | hasZero(word ^ (0x26 &* ones))
        return bad == 0
    }

    /// A name's label from the capture inside a JSON string: lower-cased, then escaped.
    @inline(__always)
    mutating func appendJSONLowercased(_ source: UnsafeRawPointer, count n: Int) {
        reserve(n)
        let plain = Self.jsonPlain.utf8Start
        var i = 0
        while i < n {
            var b = source.load(fromByteOffset: i, as: UInt8.self)
            if b &- 0x41 < 26 { b |= 0x20 }
            appendJSONByte(b, plain: plain, remaining: n - i)
            i &+= 1
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
