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
    /// taken five at a time in 32-bit arithmetic (62⁵ divides the hash into pieces below 2³²).
    @inline(__always)
    static func append(_ client: Endpoint, _ server: Endpoint, _ transport: TransportProtocol, to out: inout ByteSink) {
        let h = hash(client, server, transport)
        let p5: UInt64 = 916_132_832
        let rest = h / p5
        let table = alphabet.utf8Start
        out.reserve(12)
        out.append(0x43)
        var low = UInt32(truncatingIfNeeded: h % p5)
        for _ in 0..<5 {
            out.append(table[Int(low % 62)])
            low /= 62
        }
        var middle = UInt32(truncatingIfNeeded: rest % p5)
        for _ in 0..<5 {
            out.append(table[Int(middle % 62)])
            middle /= 62
        }
        out.append(table[Int((rest / p5) % 62)])
    }
}
