/// A DNS name (lower-cased) at one resolver, hashed once with a cheap
/// word-at-a-time mix, so the per-name tallies of a busy capture find their
/// slot in an `OpenTable` without hashing the name byte by byte. The name is
/// kept as a `DNSName` (inline up to 48 bytes), so making a key to look one up
/// allocates nothing.
struct NameKey: Equatable {
    var dnsName: DNSName
    var server: Endpoint
    /// Never 0 (the open table's empty mark).
    let hash: UInt64

    /// The name's bytes.
    var name: [UInt8] { dnsName.bytes }

    init(name: [UInt8], server: Endpoint) {
        self.init(name: DNSName(name), server: server)
    }

    init(name: DNSName, server: Endpoint) {
        dnsName = name
        self.server = server
        var h = name.withUnsafeBytes { Self.mixed($0) }
        h ^= (server.address.low ^ server.address.high.rotated(by: 17) ^ UInt64(server.port) << 48) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 31
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        hash = h == 0 ? 1 : h
    }

    /// `bytes` mixed a word at a time into one 64-bit value (not yet finalised): the part of the
    /// hash that is the name's, shared with `KnownNames`.
    @inline(__always)
    static func mixed(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
    }

    static func == (a: NameKey, b: NameKey) -> Bool { a.hash == b.hash && a.server == b.server && a.dnsName == b.dnsName }
}

extension UInt64 {
    fileprivate func rotated(by n: UInt64) -> UInt64 { self << n | self >> (64 - n) }
}
