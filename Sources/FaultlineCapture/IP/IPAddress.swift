#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address held in two words (16 bytes), cheap to hash, compare and copy.
///
/// IPv6 addresses keep bytes 0–7 in `high` and 8–15 in `low`, both big-endian;
/// IPv4 addresses are held as their IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so
/// an IPv4-mapped IPv6 address counts as the IPv4 address it maps.
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    private static let mapped: UInt64 = 0x0000_FFFF_0000_0000

    public init(ipv4 value: UInt32) {
        high = 0
        low = Self.mapped | UInt64(value)
    }

    public init(ipv6High high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public var isIPv6: Bool { high != 0 || low & 0xFFFF_FFFF_0000_0000 != Self.mapped }

    /// The IPv4 address (meaningful when `!isIPv6`).
    @inline(__always)
    public var ipv4: UInt32 { UInt32(truncatingIfNeeded: low) }

    /// Reads 4 (IPv4) or 16 (IPv6) bytes at `offset`; the caller checks the bounds.
    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int, v6: Bool) -> IPAddress {
        if v6 {
            return IPAddress(ipv6High: bytes.u64(offset), low: bytes.u64(offset + 8))
        }
        return IPAddress(ipv4: bytes.u32(offset))
    }

    /// Parses dotted IPv4 or textual IPv6 (`inet_pton`).
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(ipv4: UInt32(bigEndian: v4.s_addr))
            return
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let parsed: IPAddress = v6.withUnsafeBytes { IPAddress.read($0, at: 0, v6: true) }
        self = parsed
    }

    /// A global unicast address: not private (10/8, 172.16/12, 192.168/16, fc00::/7), shared
    /// (100.64/10), loopback, link-local, multicast or unspecified.
    public var isPublic: Bool {
        if isMulticast { return false }
        if isIPv6 {
            let top = high >> 48
            return !(high == 0 && (low == 0 || low == 1)) && top & 0xFE00 != 0xFC00 && top & 0xFFC0 != 0xFE80
        }
        let a = ipv4 >> 24, b = (ipv4 >> 16) & 0xFF
        return !(a == 0 || a == 10 || a == 127 || (a == 172 && b & 0xF0 == 16) || (a == 192 && b == 168)
                 || (a == 169 && b == 254) || (a == 100 && b & 0xC0 == 64))
    }

    /// 224.0.0.0/4 or ff00::/8.
    public var isMulticast: Bool {
        isIPv6 ? (high >> 56) == 0xFF : (ipv4 >> 28) == 0xE
    }

    /// The 16 (or 4) address bytes in network order.
    public var bytes: [UInt8] {
        if isIPv6 {
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        }
        return (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * UInt64($0))) }
    }

    /// Dotted quad, or the RFC 5952 text `inet_ntop` gives (`fe80::1`).
    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(46)
        appendText(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the textual form to a byte buffer without making a `String` (IPv4).
    public func appendText(to out: inout [UInt8]) {
        var sink = ArrayTextSink(bytes: out)
        out = []
        appendText(into: &sink)
        swap(&out, &sink.bytes)
    }

    /// Writes the textual form through `out`.
    @inline(__always)
    func appendText<Out: TextSink>(into out: inout Out) {
        if !isIPv6 {
            let v = ipv4
            out.decimal(v >> 24)
            out.byte(0x2E)
            out.decimal((v >> 16) & 0xFF)
            out.byte(0x2E)
            out.decimal((v >> 8) & 0xFF)
            out.byte(0x2E)
            out.decimal(v & 0xFF)
            return
        }
        // RFC 5952: lower-case hex groups without leading zeros, the longest run of two or more
        // zero groups (the first of equal runs) as `::`, as inet_ntop writes them.
        let run = longestZeroRun
        // IPv4-mapped and -compatible addresses keep a dotted tail (::ffff:192.0.2.1), as glibc writes them.
        if hasDottedTail(run) {
            for b in (run.length == 5 ? [0x3A, 0x3A, 0x66, 0x66, 0x66, 0x66, 0x3A] : [0x3A, 0x3A]) as [UInt8] { out.byte(b) }
            IPAddress(ipv4: UInt32(truncatingIfNeeded: low)).appendText(into: &out)
            return
        }
        // The groups are written by the output cursor's writer, into a buffer on the stack.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ByteCursor.ipv6Room) { buffer in
            guard let base = buffer.baseAddress else { return }
            let end = ByteCursor.putIPv6Groups(self, run, ByteCursor(base)).position
            var p = base
            while p < end {
                out.byte(p.pointee)
                p += 1
            }
        }
    }

    /// The IPv6 address's 16-bit group `i` (0 first).
    @inline(__always)
    func group(_ i: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: (i < 4 ? high : low) &>> UInt64(48 &- 16 &* (i & 3)))
    }

    /// The longest run of two or more zero groups (the first of equal runs), which the text writes
    /// as `::`; start -1 when there is none. Looked up in `zeroRuns` by which groups are zero.
    @inline(__always)
    var longestZeroRun: (start: Int, length: Int) {
        var zeros = 0
        for i in 0..<8 where group(i) == 0 { zeros |= 1 << i }
        let entry = UnsafeRawPointer(Self.zeroRuns.utf8Start) + 2 * zeros
        let start = Int(entry.load(as: UInt8.self)) - 0x30
        return (start == 9 ? -1 : start, Int(entry.load(fromByteOffset: 1, as: UInt8.self)) - 0x30)
    }

    /// For each set of zero groups (bit `i` for group `i`), the start and length of its longest run
    /// of two or more (the first of equal runs) as two digits; `9` and `0` when there is none.
    static let zeroRuns: StaticString = "90909002909012039090900222221304909090029090120332323202232314059090900290901203909090022222130442424202424212033333333324241506909090029090120390909002222213049090900290901203323232022323140552525202525212035252520222221304434343434343430334343434252516079090900290901203909090022222130490909002909012033232320223231405909090029090120390909002222213044242420242421203333333332424150662626202626212036262620222221304626262026262120332323202232314055353535353535303535353535353130444444444444444443535353526261708"

    /// Whether the text ends in a dotted quad: an IPv4-compatible address (`::192.0.2.1`), or an
    /// IPv4-mapped one written as IPv6.
    @inline(__always)
    func hasDottedTail(_ run: (start: Int, length: Int)) -> Bool {
        run.start == 0 && (run.length == 6 || (run.length == 5 && group(5) == 0xFFFF))
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.isIPv6 != rhs.isIPv6 { return !lhs.isIPv6 }
        return lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }
}

/// Appends the decimal digits of `value`.
@inline(__always)
func appendDecimal(_ value: UInt32, to out: inout [UInt8]) {
    if value < 10 {
        out.append(0x30 &+ UInt8(value))
        return
    }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var v = value
    withUnsafeMutableBytes(of: &digits) { d in
        while v > 0 {
            d[count] = 0x30 &+ UInt8(v % 10)
            v /= 10
            count += 1
        }
        var i = count - 1
        while i >= 0 {
            out.append(d[i])
            i -= 1
        }
    }
}

/// An address and a port: one end of a conversation.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Sent from `source` to a multicast group the way mDNS and LLMNR ask (any multicast address
    /// when neither end is port 53, or their groups 224.0.0.251/252, ff02::fb, ff02::1:3 on any port): answers come
    /// from whoever knows the name, so such queries are never paired. Port-53 traffic to
    /// another group is ordinary DNS and is paired like unicast.
    public func isMulticastResolution(from source: Endpoint) -> Bool {
        guard address.isMulticast else { return false }
        return (port != 53 && source.port != 53) || Self.resolutionGroups.contains(address)
    }

    private static let resolutionGroups: [IPAddress] = [
        IPAddress(ipv4: 0xE000_00FB), IPAddress(ipv4: 0xE000_00FC),
        IPAddress(ipv6High: 0xFF02_0000_0000_0000, low: 0xFB), IPAddress(ipv6High: 0xFF02_0000_0000_0000, low: 0x1_0003),
    ]

    /// `10.0.0.1:53`, or `[fe80::1]:53` for IPv6.
    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// Where an address's text goes: an array, or straight into an output buffer.
protocol TextSink {
    mutating func byte(_ b: UInt8)
    mutating func decimal(_ v: UInt32)
}

struct ArrayTextSink: TextSink {
    var bytes: [UInt8]
    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }
    @inline(__always) mutating func decimal(_ v: UInt32) { appendDecimal(v, to: &bytes) }
}
