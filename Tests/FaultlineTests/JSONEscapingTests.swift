import Testing
@testable import FaultlineCapture

/// JSON strings of capture bytes against the rules done one byte at a time, for every length
/// and every position of a byte that needs escaping (the fast path copies eight bytes at a time
/// and finishes with the word that ends the string).
@Suite("JSON escaping of capture bytes")
struct JSONEscapingTests {
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [0x22]
        for b in bytes {
            switch b {
            case 0x22, 0x5C: out += [0x5C, b]
            case 0x3C, 0x3E, 0x26: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            case 0x20...0x7E: out.append(b)
            default: out += Array("\\\\x".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        out.append(0x22)
        return out
    }

    @Test("every length up to 40, with one byte to escape at every position")
    func matchesTheReference() {
        for length in 0...40 {
            for position in -1..<length {
                for special: UInt8 in [0x22, 0x5C, 0x3C, 0x00, 0xC3, 0x7F] where position >= 0 || special == 0x22 {
                    var bytes = (0..<length).map { UInt8(0x61 + $0 % 26) }
                    if position >= 0 { bytes[position] = special }
                    var sink = ByteSink(capacity: 64)
                    defer { sink.deallocate() }
                    bytes.withUnsafeBytes { sink.appendJSONString($0) }
                    #expect(Array(sink.bytes) == Self.reference(bytes), "length \(length), \(special) at \(position)")
                }
            }
        }
    }
}
