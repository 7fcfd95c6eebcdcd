/// The fixed 12-byte DNS header (RFC 1035 §4.1.1, RFC 2535 AD/CD bits).
public struct DNSHeader: Sendable, Hashable {
    public var id: UInt16
    public var flags: UInt16
    public var questionCount: UInt16
    public var answerCount: UInt16
    public var authorityCount: UInt16
    public var additionalCount: UInt16

    public static let length = 12

    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer) {
        id = bytes.u16(0)
        flags = bytes.u16(2)
        questionCount = bytes.u16(4)
        answerCount = bytes.u16(6)
        authorityCount = bytes.u16(8)
        additionalCount = bytes.u16(10)
    }

    public var isResponse: Bool { flags & 0x8000 != 0 }
    public var opcode: UInt8 { UInt8((flags >> 11) & 0xF) }
    public var authoritative: Bool { flags & 0x0400 != 0 }
    public var truncated: Bool { flags & 0x0200 != 0 }
    public var recursionDesired: Bool { flags & 0x0100 != 0 }
    public var recursionAvailable: Bool { flags & 0x0080 != 0 }
    /// The three bits Zeek logs as `Z`: reserved (4), AD (2) and CD (1).
    public var z: UInt8 { UInt8((flags >> 4) & 0x7) }
    public var authenticData: Bool { flags & 0x0020 != 0 }
    public var checkingDisabled: Bool { flags & 0x0010 != 0 }
    /// The 4-bit header RCODE; `DNSMessage.rcode` adds the EDNS extension.
    public var headerRcode: UInt16 { flags & 0xF }
}
