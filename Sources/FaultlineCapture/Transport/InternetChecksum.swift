/// The RFC 1071 one's-complement checksum of IPv4 headers, UDP and TCP.
///
/// Sums are kept in memory byte order (the host's loads, no swap per word) and never folded on
/// the way: a one's-complement sum taken in swapped byte order is the swapped sum (RFC 1071
/// §2), and a sum of any width is congruent modulo 0xFFFF to its 16-bit fold, since 2¹⁶ ≡ 1. So
/// a packet is checked with one division at the end (`isValid`), whichever order was summed in.
enum InternetChecksum {
    /// Adds the bytes `from..<to` as 16-bit words, in memory byte order, to `sum`.
    ///
    /// Whole 64-bit words with end-around carries (2⁶⁴ ≡ 1 modulo 0xFFFF, so a carry out of the top
    /// is added back at the bottom), in four independent sums; the total is folded below 2³³
    /// before it is added to `sum`, which so stays far from overflowing.
    @inline(__always)
    static func add(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int, to sum: UInt64) -> UInt64 {
        guard let base = bytes.baseAddress, to > from else { return sum }
        let start = base + from
        let n = to - from
        var s: UInt64 = 0
        var i = 0
        var s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
        while i + 32 <= n {
            s = carrying(s, start.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            s1 = carrying(s1, start.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            s2 = carrying(s2, start.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            s3 = carrying(s3, start.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i &+= 32
        }
        s = carrying(carrying(s, s1), carrying(s2, s3))
        while i + 8 <= n {
            s = carrying(s, start.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i &+= 8
        }
        let rest = n - i
        if rest > 0 {
            if n >= 8 {
                // The last `rest` bytes, without a branch per size: the word ending at `n`, shifted so
                // they come first (they start at an even offset, so the 16-bit pairs stay the same; a
                // last odd byte is the high half of a zero-padded word, as the host reads [b, 0]).
                let word = UInt64(littleEndian: start.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
                s = carrying(s, UInt64(littleEndian: word &>> UInt64(8 &* (8 &- rest))))
            } else {
                while i + 2 <= n {
                    s = carrying(s, UInt64(start.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
                    i &+= 2
                }
                if i < n { s = carrying(s, UInt64(UInt16(littleEndian: UInt16(start.load(fromByteOffset: i, as: UInt8.self))))) }
            }
        }
        return sum &+ (s & 0xFFFF_FFFF) &+ (s >> 32)
    }

    /// The sum of a 20-byte IPv4 header (one without options), in memory byte order.
    @inline(__always)
    static func ipv4Header(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        let start = base + offset
        let s = carrying(start.loadUnaligned(as: UInt64.self), start.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        return (s & 0xFFFF_FFFF) &+ (s >> 32) &+ UInt64(start.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// `a + b` with the carry out of bit 63 added back in (a one's-complement addition).
    @inline(__always)
    static func carrying(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, carry) = a.addingReportingOverflow(b)
        return sum &+ (carry ? 1 : 0)
    }

    /// Adds an address to a pseudo-header sum, as its bytes in the packet would: 16 bytes in an
    /// IPv6 packet, 4 in an IPv4 one.
    @inline(__always)
    static func add(_ address: IPAddress, v6: Bool, to sum: UInt64) -> UInt64 {
        if v6 {
            let high = address.high.bigEndian
            let low = address.low.bigEndian
            return sum &+ (high >> 32) &+ (high & 0xFFFF_FFFF) &+ (low >> 32) &+ (low & 0xFFFF_FFFF)
        }
        return sum &+ UInt64(address.ipv4.bigEndian)
    }

    /// Adds the rest of a pseudo-header: the protocol and the upper-layer length (IPv6 gives both
    /// 32 bits, IPv4 16; the words above 16 bits are zero either way).
    @inline(__always)
    static func add(protocol proto: UInt8, length: Int, to sum: UInt64) -> UInt64 {
        sum &+ UInt64(UInt32(proto).bigEndian) &+ UInt64(UInt32(truncatingIfNeeded: length).bigEndian)
    }

    /// Whether a sum over a packet including its checksum field is right: its fold is all ones,
    /// that is, it is a nonzero multiple of 0xFFFF.
    @inline(__always)
    static func isValid(_ sum: UInt64) -> Bool {
        sum != 0 && sum % 0xFFFF == 0
    }
}
