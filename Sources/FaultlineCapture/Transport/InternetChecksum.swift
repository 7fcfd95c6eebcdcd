/// The RFC 1071 one's-complement checksum of IPv4 headers, UDP and TCP.
enum InternetChecksum {
    /// Adds the bytes `from..<to` as 16-bit big-endian words (32 at a time) to `sum`.
    @inline(__always)
    static func add(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int, to sum: UInt64) -> UInt64 {
        var s = sum
        var i = from
        // Eight bytes at a time with end-around carry (one's-complement sums may be regrouped).
        while i + 8 <= to {
            let (total, carried) = s.addingReportingOverflow(bytes.u64(i))
            s = total &+ (carried ? 1 : 0)
            i += 8
        }
        if s >= 1 << 62 { s = (s & 0xFFFF_FFFF) &+ (s >> 32) }
        while i + 4 <= to {
            s &+= UInt64(bytes.u32(i))
            i += 4
        }
        if i + 2 <= to {
            s &+= UInt64(bytes.u16(i))
            i += 2
        }
        if i < to { s &+= UInt64(bytes[i]) << 8 }
        return s
    }

    /// Adds an address to a pseudo-header sum: 16 bytes in an IPv6 packet, 4 in an IPv4 one.
    @inline(__always)
    static func add(_ address: IPAddress, v6: Bool, to sum: UInt64) -> UInt64 {
        if v6 {
            return sum &+ (address.high >> 32) &+ (address.high & 0xFFFF_FFFF) &+ (address.low >> 32) &+ (address.low & 0xFFFF_FFFF)
        }
        return sum &+ UInt64(address.ipv4)
    }

    /// Folds a sum to 16 bits; a correct packet folds to 0xFFFF.
    @inline(__always)
    static func fold(_ sum: UInt64) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) &+ (s >> 16) }
        return UInt16(s)
    }
}
