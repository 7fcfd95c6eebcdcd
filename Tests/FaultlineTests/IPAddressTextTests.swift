import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import FaultlineCapture

/// Addresses as text, against glibc's `inet_ntop` (RFC 5952 for IPv6: lower-case groups without
/// leading zeros, the longest run of zero groups as `::`, IPv4-compatible addresses with a dotted
/// tail; IPv4-mapped ones are the IPv4 addresses they map).
@Suite("IP address text")
struct IPAddressTextTests {
    static func reference(_ bytes: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: 64)
        let family = bytes.count == 16 ? AF_INET6 : AF_INET
        let ok = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil }
        #expect(ok)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The output writer's text (`ByteSink.append`, by way of `ByteCursor.put`).
    static func written(_ address: IPAddress) -> String {
        var sink = ByteSink(capacity: 64)
        defer { sink.deallocate() }
        sink.append(address)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    @Test("IPv6 with every pattern of zero, small and full groups")
    func ipv6() {
        var generator = SystemRandomNumberGenerator()
        var cases: [[UInt8]] = [
            [UInt8](repeating: 0, count: 16),
            [0xFE, 0x80] + [UInt8](repeating: 0, count: 13) + [1],
            [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 192, 0, 2, 1],
            [UInt8](repeating: 0, count: 12) + [192, 0, 2, 1],
            [UInt8](repeating: 0xFF, count: 16),
        ]
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<8 {
                let group: UInt16
                switch UInt8.random(in: 0..<6, using: &generator) {
                case 0, 1, 2: group = 0
                case 3: group = UInt16.random(in: 1...0xFF, using: &generator)
                case 4: group = UInt16.random(in: 0x100...0xFFF, using: &generator)
                default: group = UInt16.random(in: 0...0xFFFF, using: &generator)
                }
                bytes += [UInt8(group >> 8), UInt8(group & 0xFF)]
            }
            cases.append(bytes)
        }
        for bytes in cases {
            let address = bytes.withUnsafeBytes { IPAddress.read($0, at: 0, v6: true) }
            // An IPv4-mapped address counts as the IPv4 address it maps (`IPAddress`).
            let mapped = bytes.prefix(12) == [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
            let expected = Self.reference(mapped ? Array(bytes.suffix(4)) : bytes)
            #expect(Self.written(address) == expected)
            #expect(address.description == expected)
        }
    }

    @Test("IPv6 with every set of zero groups")
    func everyZeroRun() {
        for zeros in 0..<256 {
            let bytes = (0..<8).flatMap { i -> [UInt8] in zeros & (1 << i) != 0 ? [0, 0] : [0x0A, UInt8(i)] }
            let address = bytes.withUnsafeBytes { IPAddress.read($0, at: 0, v6: true) }
            let mapped = bytes.prefix(12) == [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]
            #expect(!mapped)
            #expect(Self.written(address) == Self.reference(bytes), "zero groups \(zeros)")
        }
    }

    @Test("IPv4 dotted quads")
    func ipv4() {
        var generator = SystemRandomNumberGenerator()
        var cases: [[UInt8]] = [[0, 0, 0, 0], [255, 255, 255, 255], [10, 96, 0, 10], [1, 22, 103, 9]]
        for _ in 0..<2_000 { cases.append((0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        for bytes in cases {
            let address = bytes.withUnsafeBytes { IPAddress.read($0, at: 0, v6: false) }
            #expect(Self.written(address) == Self.reference(bytes))
            #expect(address.description == Self.reference(bytes))
        }
    }
}
