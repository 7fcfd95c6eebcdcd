/// The RFC 1071 one's-complement checksum of IPv4 headers, UDP and TCP.
enum InternetChecksum {
    /// Adds the bytes `from..<to` as 16-bit big-endian words to `sum`.
    ///
    /// The words are summed in the host's byte order, eight bytes a step as two 32-bit halves
    /// in a 64-bit total (no carries to handle), folded to 16 bits and only then put in network
    /// order: a one's-complement sum taken in swapped byte order is the swapped sum (RFC 1071 §2).
    @inline(__always)
    static func add(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int, to sum: UInt64) -> UInt64 {
        guard let base = bytes.baseAddress, to > from else { return sum }
        let start = base + from
        let n = to - from
        var s: UInt64 = 0
        var i = 0
        while i + 8 <= n {
            let word = start.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            s &+= (word & 0xFFFF_FFFF) &+ (word >> 32)
            i &+= 8
        }
        if i + 4 <= n {
            s &+= UInt64(start.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            i &+= 4
        }
        if i + 2 <= n {
            s &+= UInt64(start.loadUnaligned(fromByteOffset: i, as: UInt16.self))
            i &+= 2
        }
        // A last odd byte is the high half of a zero-padded word: as the host reads [b, 0].
        if i < n { s &+= UInt64(UInt16(littleEndian: UInt16(start.load(fromByteOffset: i, as: UInt8.self)))) }
        return sum &+ UInt64(fold(s).bigEndian)
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
