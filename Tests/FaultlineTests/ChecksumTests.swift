import Testing
@testable import FaultlineCapture

/// The one's-complement checksum against RFC 1071 done the slow way: big-endian 16-bit
/// words one by one, an odd last byte padded with zero, carries folded back in.
@Suite("Internet checksum")
struct ChecksumTests {
    static func reference(_ bytes: [UInt8], from: Int, to: Int) -> UInt16 {
        var sum: UInt64 = 0
        var i = from
        while i + 1 < to {
            sum += UInt64(bytes[i]) << 8 | UInt64(bytes[i + 1])
            i += 2
        }
        if i < to { sum += UInt64(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return UInt16(sum)
    }

    /// A sum folded to 16 bits the slow way (carries added back until none is left), in the byte
    /// order it was summed in: `UInt16(bigEndian:)` of it is the sum in network order.
    static func fold(_ sum: UInt64) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) + (s >> 16) }
        return UInt16(s)
    }

    @Test("every length from 0 to 200 bytes, at several offsets, with sums that carry")
    func matchesTheReference() {
        var generator = SystemRandomNumberGenerator()
        for fill in [UInt8?.none, 0xFF, 0x00] {
            for length in 0...200 {
                for from in [0, 1, 2, 7] {
                    let bytes = (0..<(from + length)).map { _ in fill ?? UInt8.random(in: 0...255, using: &generator) }
                    let fast = bytes.withUnsafeBytes {
                        UInt16(bigEndian: Self.fold(InternetChecksum.add($0, from: from, to: from + length, to: 0)))
                    }
                    #expect(fast == Self.reference(bytes, from: from, to: from + length), "length \(length) from \(from)")
                    if length == 20 {
                        let header = bytes.withUnsafeBytes { UInt16(bigEndian: Self.fold(InternetChecksum.ipv4Header($0, at: from))) }
                        #expect(header == Self.reference(bytes, from: from, to: from + 20), "IPv4 header from \(from)")
                    }
                }
            }
        }
    }

    @Test("a packet whose checksum field is right folds to all ones")
    func correctPacketFoldsToOnes() {
        var bytes: [UInt8] = [0x45, 0x00, 0x00, 0x3C, 0x1C, 0x46, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 0xAC, 0x10, 0x0A, 0x63, 0xAC, 0x10, 0x0A, 0x0C]
        let header = Self.reference(bytes, from: 0, to: bytes.count)
        bytes[10] = UInt8(~header >> 8)
        bytes[11] = UInt8(~header & 0xFF)
        let sum = bytes.withUnsafeBytes { InternetChecksum.add($0, from: 0, to: $0.count, to: 0) }
        #expect(Self.fold(sum) == 0xFFFF)
        #expect(InternetChecksum.isValid(sum))
        bytes[11] ^= 0x01
        #expect(!InternetChecksum.isValid(bytes.withUnsafeBytes { InternetChecksum.add($0, from: 0, to: $0.count, to: 0) }))
    }

    @Test("a sum is valid exactly when its fold is all ones, at every width")
    func validityIsTheFold() {
        var generator = SystemRandomNumberGenerator()
        var sums: [UInt64] = [0, 1, 0xFFFE, 0xFFFF, 0x1_0000, 0x1_FFFE, 0xFFFF_FFFF, 0xFFFF * 0xFFFF, 0xFFFF_FFFF_FFFF_FFFF]
        for _ in 0..<20_000 {
            let width = UInt64.random(in: 1...63, using: &generator)
            sums.append(UInt64.random(in: 0...(UInt64(1) << width), using: &generator))
            sums.append(0xFFFF &* UInt64.random(in: 0...(UInt64(1) << 47), using: &generator))
        }
        for sum in sums {
            #expect(InternetChecksum.isValid(sum) == (sum != 0 && Self.fold(sum) == 0xFFFF), "sum \(sum)")
        }
    }

    /// UDP over IPv4 and IPv6 with the pseudo-header (RFC 768, RFC 8200 §8.1), its checksum made
    /// by the reference: the decoder's sum over the same fields must check, and fail once a byte changes.
    @Test("UDP pseudo-headers over IPv4 and IPv6")
    func pseudoHeaders() {
        var generator = SystemRandomNumberGenerator()
        for v6 in [false, true] {
            for length in [8, 9, 12, 13, 40, 41, 512] {
                let addressBytes = v6 ? 16 : 4
                let source = (0..<addressBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let destination = (0..<addressBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var udp = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                udp[4] = UInt8(length >> 8)
                udp[5] = UInt8(length & 0xFF)
                udp[6] = 0
                udp[7] = 0
                let lengthField: [UInt8] = v6 ? [0, 0, UInt8(length >> 8), UInt8(length & 0xFF)] : [UInt8(length >> 8), UInt8(length & 0xFF)]
                let protocolField: [UInt8] = v6 ? [0, 0, 0, 17] : [0, 17]
                var pseudo = source + destination + protocolField + lengthField + udp
                if pseudo.count % 2 == 1 { pseudo.append(0) }
                let field = ~Self.reference(pseudo, from: 0, to: pseudo.count)
                udp[6] = UInt8(field >> 8)
                udp[7] = UInt8(field & 0xFF)
                func sum(_ udp: [UInt8]) -> UInt64 {
                    let read = { (bytes: [UInt8]) in bytes.withUnsafeBytes { IPAddress.read($0, at: 0, v6: v6) } }
                    var sum = InternetChecksum.add(read(source), v6: v6, to: 0)
                    sum = InternetChecksum.add(read(destination), v6: v6, to: sum)
                    sum = InternetChecksum.add(protocol: 17, length: length, to: sum)
                    return udp.withUnsafeBytes { InternetChecksum.add($0, from: 0, to: length, to: sum) }
                }
                #expect(InternetChecksum.isValid(sum(udp)), "v6 \(v6) length \(length)")
                udp[length - 1] ^= 0x10
                #expect(!InternetChecksum.isValid(sum(udp)), "v6 \(v6) length \(length), changed")
            }
        }
    }
}
