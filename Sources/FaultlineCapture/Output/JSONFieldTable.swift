/// Pre-rendered NDJSON fragments for the fields whose text depends only on a
/// small number (`,"qtype":28,"qtype_name":"AAAA"`, the rcode pair, the AA/TC/RD/RA/Z
/// flags), each in a 64-byte slot (text, then its length in the last byte) so a
/// record copies one slot with four wide stores instead of building the text.
final class JSONFieldTable: @unchecked Sendable {
    static let slot = 64
    static let qtypes = 256
    static let rcodes = 32
    private static let qtypeBase = 0
    private static let rcodeBase = qtypes
    private static let flagsBase = qtypes + rcodes
    private static let slots = qtypes + rcodes + 128

    private let storage: UnsafeMutableRawPointer

    /// Built once; the texts come from the same renderers as the slow path.
    static let shared = JSONFieldTable()

    private init() {
        storage = .allocate(byteCount: Self.slots * Self.slot, alignment: 64)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: Self.slots * Self.slot)
        for qtype in 0..<Self.qtypes {
            set(Self.qtypeBase + qtype, ",\"qtype\":\(qtype),\"qtype_name\":\"\(DNSNames.type(UInt16(qtype)))\"")
        }
        for rcode in 0..<Self.rcodes {
            set(Self.rcodeBase + rcode, ",\"rcode\":\(rcode),\"rcode_name\":\"\(DNSNames.rcode(UInt16(rcode)))\"")
        }
        for flags in 0..<128 {
            let aa = flags & 64 != 0, tc = flags & 32 != 0, rd = flags & 16 != 0, ra = flags & 8 != 0
            set(Self.flagsBase + flags, ",\"AA\":\(aa),\"TC\":\(tc),\"RD\":\(rd),\"RA\":\(ra),\"Z\":\(flags & 7)")
        }
    }

    deinit { storage.deallocate() }

    private func set(_ index: Int, _ text: String) {
        let bytes = Array(text.utf8)
        precondition(bytes.count < Self.slot, "JSON field fragment too long")
        let start = storage + index * Self.slot
        for (i, b) in bytes.enumerated() { start.storeBytes(of: b, toByteOffset: i, as: UInt8.self) }
        start.storeBytes(of: UInt8(bytes.count), toByteOffset: Self.slot - 1, as: UInt8.self)
    }

    /// `,"qtype":N,"qtype_name":"NAME"` for a type below 256.
    @inline(__always)
    func qtype(_ value: UInt16) -> UnsafeRawPointer { UnsafeRawPointer(storage + (Self.qtypeBase + Int(value)) * Self.slot) }

    /// `,"rcode":N,"rcode_name":"NAME"` for an rcode below 32.
    @inline(__always)
    func rcode(_ value: UInt16) -> UnsafeRawPointer { UnsafeRawPointer(storage + (Self.rcodeBase + Int(value)) * Self.slot) }

    /// `,"AA":…,"TC":…,"RD":…,"RA":…,"Z":z`.
    @inline(__always)
    func flags(aa: Bool, tc: Bool, rd: Bool, ra: Bool, z: UInt8) -> UnsafeRawPointer {
        let index = (aa ? 64 : 0) | (tc ? 32 : 0) | (rd ? 16 : 0) | (ra ? 8 : 0) | Int(z & 7)
        return UnsafeRawPointer(storage + (Self.flagsBase + index) * Self.slot)
    }
}
