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

    @Test("every length from 0 to 200 bytes, at several offsets, with sums that carry")
    func matchesTheReference() {
        var generator = SystemRandomNumberGenerator()
        for fill in [UInt8?.none, 0xFF, 0x00] {
            for length in 0...200 {
                for from in [0, 1, 2, 7] {
                    let bytes = (0..<(from + length)).map { _ in fill ?? UInt8.random(in: 0...255, using: &generator) }
                    let fast = bytes.withUnsafeBytes { InternetChecksum.fold(InternetChecksum.add($0, from: from, to: from + length, to: 0)) }
                    #expect(fast == Self.reference(bytes, from: from, to: from + length), "length \(length) from \(from)")
                }
            }
        }
    }

    @Test("a packet whose checksum field is right folds to all ones")
    func correctPacketFoldsToOnes() {
        var bytes: [UInt8] = [0x45, 0x00, 0x00, 0x3C, 0x1C, 0x46, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 0xAC, 0x10, 0x0A, 0x63, 0xAC, 0x10, 0x0A, 0x0C]
        let sum = Self.reference(bytes, from: 0, to: bytes.count)
        bytes[10] = UInt8(~sum >> 8)
        bytes[11] = UInt8(~sum & 0xFF)
        let folded = bytes.withUnsafeBytes { InternetChecksum.fold(InternetChecksum.add($0, from: 0, to: $0.count, to: 0)) }
        #expect(folded == 0xFFFF)
    }
}
