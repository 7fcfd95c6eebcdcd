/// A Zeek-style connection id (`C` + base62) derived from the connection's
/// ends and transport, so the same conversation gets the same uid in every run.
enum ConnectionUID {
    @inline(__always)
    static func hash(_ client: Endpoint, _ server: Endpoint, _ transport: TransportProtocol) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func mix(_ v: UInt64) {
            h = (h ^ v) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
        }
        mix(client.address.high)
        mix(client.address.low)
        mix(UInt64(client.port) | (client.address.isIPv6 ? 1 << 20 : 0))
        mix(server.address.high)
        mix(server.address.low)
        mix(UInt64(server.port) | (transport == .tcp ? 1 << 20 : 0))
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }

    static let alphabet: StaticString = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    /// Appends the uid's text to `out`: `C` and the hash's 11 lowest base-62 digits, lowest first,
    /// taken five at a time in 32-bit arithmetic (62⁵ divides the hash into pieces below 2³²),
    /// gathered in two words and stored at once.
    @inline(__always)
    static func append(_ client: Endpoint, _ server: Endpoint, _ transport: TransportProtocol, to out: inout ByteSink) {
        let h = hash(client, server, transport)
        let p5: UInt64 = 916_132_832
        let rest = h / p5
        let table = alphabet.utf8Start
        // Bytes 0–7: `C` and digits 1–7; bytes 8–11: digits 8–11 (little-endian order in each word).
        var head: UInt64 = 0x43
        var tail: UInt32 = 0
        var low = UInt32(truncatingIfNeeded: h % p5)
        for i in 1...5 {
            head |= UInt64(table[Int(low % 62)]) << UInt64(8 * i)
            low /= 62
        }
        var middle = UInt32(truncatingIfNeeded: rest % p5)
        for i in 6...7 {
            head |= UInt64(table[Int(middle % 62)]) << UInt64(8 * i)
            middle /= 62
        }
        for i in 0...2 {
            tail |= UInt32(table[Int(middle % 62)]) << UInt32(8 * i)
            middle /= 62
        }
        tail |= UInt32(table[Int((rest / p5) % 62)]) << 24
        out.append(head.littleEndian, tail.littleEndian)
    }
}
