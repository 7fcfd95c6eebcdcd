/// Writes bytes through a bare pointer into room reserved beforehand
/// (`ByteSink.reserve`): no bounds check, and the position is its only state,
/// so a record writer keeps it in a register from one field to the next.
/// Every `ByteSink` append is this cursor over the sink's buffer, after a check;
/// each method says how much room it needs.
struct ByteCursor {
    var position: UnsafeMutablePointer<UInt8>

    @inline(__always)
    init(_ position: UnsafeMutablePointer<UInt8>) { self.position = position }

    /// One byte.
    @inline(__always)
    mutating func put(_ byte: UInt8) {
        position.pointee = byte
        position += 1
    }

    /// `n` bytes.
    @inline(__always)
    mutating func put(_ source: UnsafeRawPointer, count n: Int) {
        ByteSink.copy(source, to: UnsafeMutableRawPointer(position), count: n)
        position += n
    }

    @inline(__always)
    mutating func put(_ text: StaticString) { put(text.utf8Start, count: text.utf8CodeUnitCount) }

    /// Twelve bytes: `head`'s eight, then `tail`'s four, as they lie in memory.
    @inline(__always)
    mutating func put(_ head: UInt64, _ tail: UInt32) {
        let target = UnsafeMutableRawPointer(position)
        target.storeBytes(of: head, as: UInt64.self)
        target.storeBytes(of: tail, toByteOffset: 8, as: UInt32.self)
        position += 12
    }

    static let pairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"


    /// Decimal digits of `value`, two at a time from a table (room: 20).
    @inline(__always)
    mutating func putDecimal(_ value: UInt64) { self = Self.decimal(value, self) }

    // The number writers take and give the cursor by value: where a long record writer's call is
    // not inlined, the position still passes in a register, not through memory.
    @inline(__always)
    static func decimal(_ value: UInt64, _ start: ByteCursor) -> ByteCursor {
        var c = start
        if value < 10 {
            c.put(0x30 &+ UInt8(value))
        } else if value < 100_000 {
            // Ports, ids, TTLs, most frame numbers: five digits made at once (the first from the
            // ten-thousands, two pairs from `pairs`), stored in one word without the leading zeros.
            let v = UInt32(truncatingIfNeeded: value)
            let first = v / 10_000
            let rest = v &- first &* 10_000
            let upper = rest / 100
            let text = UInt64(0x30 &+ first) | digitPair(upper) &<< 8 | digitPair(rest &- upper &* 100) &<< 24
            let count = v < 100 ? 2 : (v < 1000 ? 3 : (v < 10_000 ? 4 : 5))
            UnsafeMutableRawPointer(c.position).storeBytes(of: (text &>> UInt64(8 &* (5 &- count))).littleEndian, as: UInt64.self)
            c.position += count
        } else {
            c.putDigits(value, count: digitCount(value))
        }
        return c
    }

    /// The two digits of `value` (below 100) from `pairs`, the tens first in memory: a word's low
    /// bytes, to be shifted into place and stored with others.
    @inline(__always)
    static func digitPair(_ value: UInt32) -> UInt64 {
        UInt64(UInt16(littleEndian: UnsafeRawPointer(pairs.utf8Start).loadUnaligned(fromByteOffset: Int(value) &* 2, as: UInt16.self)))
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

    /// Exactly `count` digits of `value` (zero-padded), right to left (room: `count`).
    /// Two digits a step from `pairs`, in 32-bit arithmetic whenever the value fits.
    @inline(__always)
    mutating func putDigits(_ value: UInt64, count digits: Int) {
        let target = UnsafeMutableRawPointer(position)
        if value <= UInt64(UInt32.max) {
            Self.writeDigits(UInt32(truncatingIfNeeded: value), count: digits, to: target)
        } else {
            Self.writeDigits(value, count: digits, to: target)
        }
        position += digits
    }

    /// `count` digits of `value` at `target`, two a step from `pairs`, right to left.
    @inline(__always)
    private static func writeDigits<Value: FixedWidthInteger & UnsignedInteger>(_ value: Value, count digits: Int,
                                                                               to target: UnsafeMutableRawPointer) {
        let table = UnsafeRawPointer(pairs.utf8Start)
        var v = value
        var at = digits
        while at >= 2 {
            let r = Int(v % 100) &* 2
            v /= 100
            at &-= 2
            target.storeBytes(of: table.loadUnaligned(fromByteOffset: r, as: UInt16.self), toByteOffset: at, as: UInt16.self)
        }
        if at > 0 { target.storeBytes(of: 0x30 &+ UInt8(truncatingIfNeeded: v % 10), as: UInt8.self) }
    }

    static let powers: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) =
        (1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1)

    /// Nanoseconds as seconds with `digits` decimals, truncated: a time or an interval (room: 32).
    @inline(__always)
    mutating func putFixed(_ nanos: Int64, digits: Int) { self = Self.fixed(nanos, digits: digits, self) }

    @inline(__always)
    static func fixed(_ nanos: Int64, digits: Int, _ start: ByteCursor) -> ByteCursor {
        var c = start
        var value = nanos
        if value < 0 {
            c.put(0x2D)
            value = value == Int64.min ? Int64.max : -value
        }
        c.putDecimal(UInt64(value / 1_000_000_000))
        c.putFraction(value, digits: digits)
        return c
    }

    /// `putFixed` for a timestamp, whose whole seconds are copied from `cache` when they are the
    /// last ones written (consecutive records mostly share them) (room: 32).
    @inline(__always)
    mutating func putTimestamp(_ nanos: Int64, digits: Int, cache: inout SecondsText) {
        self = Self.timestamp(nanos, digits: digits, cache: &cache, self)
    }

    @inline(__always)
    static func timestamp(_ nanos: Int64, digits: Int, cache: inout SecondsText, _ start: ByteCursor) -> ByteCursor {
        guard nanos >= 0 else { return fixed(nanos, digits: digits, start) }
        var c = start
        let whole = nanos / 1_000_000_000
        if whole == cache.seconds {
            let length = cache.length
            withUnsafeBytes(of: &cache.text) { text in
                if let source = text.baseAddress { ByteSink.copy(source, to: UnsafeMutableRawPointer(c.position), count: length) }
            }
            c.position += length
        } else {
            let begin = c.position
            c.putDecimal(UInt64(whole))
            let length = c.position - begin
            if length <= SecondsText.capacity {
                cache.seconds = whole
                cache.length = length
                withUnsafeMutableBytes(of: &cache.text) { text in
                    text.baseAddress?.copyMemory(from: UnsafeRawPointer(begin), byteCount: length)
                }
            }
        }
        c.putFraction(nanos, digits: digits)
        return c
    }

    /// `.` and the first `digits` decimals of the fraction of a second in `value` (nothing for 0 digits).
    @inline(__always)
    mutating func putFraction(_ value: Int64, digits: Int) {
        let digits = max(0, min(9, digits))
        guard digits > 0 else { return }
        let rest = value % 1_000_000_000
        if digits == 6, rest >= 0 {
            // Microseconds, as most captures have them: the dot and three pairs from `pairs`, in one store.
            let micros = UInt32(truncatingIfNeeded: rest / 1000)
            let high = micros / 10_000
            let low = micros &- high &* 10_000
            let middle = low / 100
            let text = 0x2E | Self.digitPair(high) &<< 8 | Self.digitPair(middle) &<< 24 | Self.digitPair(low &- middle &* 100) &<< 40
            UnsafeMutableRawPointer(position).storeBytes(of: text.littleEndian, as: UInt64.self)
            position += 7
            return
        }
        put(0x2E)
        let fraction: Int64
        if digits == 6 {
            fraction = rest / 1000
        } else if digits == 9 {
            fraction = rest
        } else {
            fraction = withUnsafeBytes(of: Self.powers) { rest / $0.load(fromByteOffset: digits * 8, as: Int64.self) }
        }
        putDigits(UInt64(fraction), count: digits)
    }

    /// Each octet's text length and one for its dot, as a digit (`2` for 7, `4` for 255).
    static let octetLengths: StaticString = "2222222222333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444"

    /// Each octet's text and a dot, four bytes an octet (`7...`, `42..`, `255.`).
    static let octets: StaticString = "0...1...2...3...4...5...6...7...8...9...10..11..12..13..14..15..16..17..18..19..20..21..22..23..24..25..26..27..28..29..30..31..32..33..34..35..36..37..38..39..40..41..42..43..44..45..46..47..48..49..50..51..52..53..54..55..56..57..58..59..60..61..62..63..64..65..66..67..68..69..70..71..72..73..74..75..76..77..78..79..80..81..82..83..84..85..86..87..88..89..90..91..92..93..94..95..96..97..98..99..100.101.102.103.104.105.106.107.108.109.110.111.112.113.114.115.116.117.118.119.120.121.122.123.124.125.126.127.128.129.130.131.132.133.134.135.136.137.138.139.140.141.142.143.144.145.146.147.148.149.150.151.152.153.154.155.156.157.158.159.160.161.162.163.164.165.166.167.168.169.170.171.172.173.174.175.176.177.178.179.180.181.182.183.184.185.186.187.188.189.190.191.192.193.194.195.196.197.198.199.200.201.202.203.204.205.206.207.208.209.210.211.212.213.214.215.216.217.218.219.220.221.222.223.224.225.226.227.228.229.230.231.232.233.234.235.236.237.238.239.240.241.242.243.244.245.246.247.248.249.250.251.252.253.254.255."


    /// An IPv4 address as a dotted quad (four-byte stores from `octets`); IPv6 by `putIPv6`
    /// (room: 48).
    @inline(__always)
    mutating func put(_ address: IPAddress) {
        if address.isIPv6 {
            self = Self.putIPv6(address, self)
            return
        }
        let v = address.ipv4
        let table = UnsafeRawPointer(Self.octets.utf8Start)
        let lengths = Self.octetLengths.utf8Start
        @inline(__always) func octet(_ o: UInt32, dot: Bool) {
            let word = table.loadUnaligned(fromByteOffset: Int(o) &* 4, as: UInt32.self)
            UnsafeMutableRawPointer(position).storeBytes(of: word, as: UInt32.self)
            position += Int(lengths[Int(o)] &- (dot ? 0x30 : 0x31))
        }
        octet(v >> 24, dot: true)
        octet((v >> 16) & 0xFF, dot: true)
        octet((v >> 8) & 0xFF, dot: true)
        octet(v & 0xFF, dot: false)
    }

    /// The room an IPv6 address's text needs (`putIPv6`): at most 45 bytes, and an eight-byte store
    /// starts at most 39 bytes in.
    static let ipv6Room = 48

    /// An IPv6 address as `IPAddress.appendText` writes it (RFC 5952, as `inet_ntop`; room: `ipv6Room`).
    @inline(never)
    static func putIPv6(_ address: IPAddress, _ start: ByteCursor) -> ByteCursor {
        let run = address.longestZeroRun
        if address.hasDottedTail(run) {
            var c = start
            var raw = RawTextSink(base: c.position)
            address.appendText(into: &raw)
            c.position += raw.count
            return c
        }
        return putIPv6Groups(address, run, start)
    }

    /// An IPv6 address's groups, `run` (its longest run of zero groups) as `::`: each group's hex
    /// digits and its colon in one eight-byte store (room: `ipv6Room`).
    @inline(__always)
    static func putIPv6Groups(_ address: IPAddress, _ run: (start: Int, length: Int), _ start: ByteCursor) -> ByteCursor {
        var c = start
        var i = 0
        while i < 8 {
            if i == run.start {
                c.put(0x3A)
                if i == 0 { c.put(0x3A) }
                i += run.length
                continue
            }
            let group = address.group(i)
            let v = UInt32(group)
            // The four nibbles one a byte, most significant first, then each made a hex digit
            // (0x76 + n sets a byte's top bit exactly when n > 9: those get 'a' - '0' - 10 more).
            let nibbles = (v >> 12) | ((v >> 8) & 0xF) << 8 | ((v >> 4) & 0xF) << 16 | (v & 0xF) << 24
            let letters = ((nibbles &+ 0x7676_7676) >> 7) & 0x0101_0101
            let digits = UInt64(nibbles &+ 0x3030_3030 &+ letters &* 39)
            // Without leading zeros: at least one digit.
            let count = max(1, (19 &- group.leadingZeroBitCount) >> 2)
            let text = digits &>> UInt64(8 &* (4 &- count)) | 0x3A &<< UInt64(8 &* count)
            UnsafeMutableRawPointer(c.position).storeBytes(of: text.littleEndian, as: UInt64.self)
            c.position += count &+ (i < 7 ? 1 : 0)
            i += 1
        }
        return c
    }

    /// One `JSONFieldTable` slot: all 64 bytes are stored, the position moves by the text's length (room: 64).
    @inline(__always)
    mutating func put(slot: UnsafeRawPointer) {
        let target = UnsafeMutableRawPointer(position)
        for i in stride(from: 0, to: JSONFieldTable.slot, by: 16) {
            target.storeBytes(of: slot.load(fromByteOffset: i, as: SIMD16<UInt8>.self), toByteOffset: i, as: SIMD16<UInt8>.self)
        }
        position += Int(slot.load(fromByteOffset: JSONFieldTable.slot - 1, as: UInt8.self))
    }

    static let hex: StaticString = "0123456789abcdef"


    /// One byte from the capture inside a JSON string (see `putJSONString`) (room: 6).
    @inline(__always)
    mutating func putJSONEscaped(_ b: UInt8) {
        switch b {
        case 0x22, 0x5C:
            put(0x5C)
            put(b)
        case 0x3C, 0x3E, 0x26:
            put("\\u00")
            put(Self.hex.utf8Start[Int(b >> 4)])
            put(Self.hex.utf8Start[Int(b & 0xF)])
        case 0x20...0x7E:
            put(b)
        default:
            put("\\\\x")
            put(Self.hex.utf8Start[Int(b >> 4)])
            put(Self.hex.utf8Start[Int(b & 0xF)])
        }
    }

    /// `1` for a byte that goes into a JSON string as it is (printable ASCII but `"`, `\\`, `<`, `>`, `&`).
    static let jsonPlain: StaticString = "0000000000000000000000000000000011011101111111111111111111110101111111111111111111111111111101111111111111111111111111111111111000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"


    /// Bytes from the capture inside a JSON string, without the quotes (room: 6 a byte).
    @inline(__always)
    mutating func putJSONEscaped(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        let n = bytes.count
        let plain = Self.jsonPlain.utf8Start
        var i = 0
        // Eight bytes at a time while none needs escaping (names mostly), then byte by byte.
        while i + 8 <= n {
            let word = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            guard Self.isPlainJSON(word) else { break }
            UnsafeMutableRawPointer(position).storeBytes(of: word, as: UInt64.self)
            position += 8
            i &+= 8
        }
        // The last few bytes (fewer than eight, all before them written) as the word that ends with
        // them, stored over what is already there (the same bytes), when it is plain too: no byte
        // loop for the tail of a long name.
        if i < n, n >= 8, n - i < 8 {
            let word = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            if Self.isPlainJSON(word) {
                let rest = n - i
                UnsafeMutableRawPointer(position + rest - 8).storeBytes(of: word, as: UInt64.self)
                position += rest
                return
            }
        }
        while i < n {
            let b = source.load(fromByteOffset: i, as: UInt8.self)
            if plain[Int(b)] == 0x31 { put(b) } else { putJSONEscaped(b) }
            i &+= 1
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

    /// A name's label from the capture inside a JSON string: lower-cased, then escaped (room: 6 a byte).
    @inline(__always)
    mutating func putJSONLowercased(_ source: UnsafeRawPointer, count n: Int) {
        let plain = Self.jsonPlain.utf8Start
        var i = 0
        while i < n {
            var b = source.load(fromByteOffset: i, as: UInt8.self)
            if b &- 0x41 < 26 { b |= 0x20 }
            if plain[Int(b)] == 0x31 { put(b) } else { putJSONEscaped(b) }
            i &+= 1
        }
    }

    /// A JSON string of bytes from the capture: printable ASCII as is, `"` and `\` escaped,
    /// `<`, `>`, `&` as `\u003c`…, anything else as the text `\xNN` (Zeek's way) (room: 6 a byte, and 2).
    @inline(__always)
    mutating func putJSONString(_ bytes: UnsafeRawBufferPointer) {
        put(0x22)
        putJSONEscaped(bytes)
        put(0x22)
    }
}
