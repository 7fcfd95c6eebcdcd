/// A decoded domain name's text (lower-cased, dotted, no trailing dot),
/// kept inline for names up to 48 bytes so a query costs no allocation and
/// no reference counting as it moves between the tracker and the printer;
/// longer names go to an array.
public struct DNSName: Sendable, Hashable {
    private var inline: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var length: UInt16 = 0
    private var long: [UInt8]?
    static let inlineCapacity = 48

    public init() {}

    public init(_ bytes: [UInt8]) {
        if bytes.count <= Self.inlineCapacity {
            length = UInt16(bytes.count)
            withUnsafeMutableBytes(of: &inline) { storage in
                for (i, b) in bytes.enumerated() { storage[i] = b }
            }
        } else {
            long = bytes
            length = UInt16(clamping: bytes.count)
        }
    }

    init(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count <= Self.inlineCapacity {
            length = UInt16(bytes.count)
            withUnsafeMutableBytes(of: &inline) { storage in
                if let source = bytes.baseAddress, bytes.count > 0 {
                    storage.baseAddress?.copyMemory(from: source, byteCount: bytes.count)
                }
            }
        } else {
            long = Array(bytes.bindMemory(to: UInt8.self))
            length = UInt16(clamping: bytes.count)
        }
    }

    public var count: Int { long?.count ?? Int(length) }
    public var isEmpty: Bool { count == 0 }

    /// The text's bytes, for the duration of `body`.
    @inline(__always)
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let long { return long.withUnsafeBytes(body) }
        var copy = inline
        let n = Int(length)
        return Swift.withUnsafeBytes(of: &copy) { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }

    /// The text as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) } }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.long == nil, rhs.long == nil {
            return lhs.inline == rhs.inline
        }
        return lhs.bytes == rhs.bytes
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// Collects a name into a `DNSName`, lower-cased, noting capitals.
struct DNSNameCollector: DNSNameSink {
    var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var overflow: [UInt8]?
    var sawUppercase = false

    @inline(__always)
    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count labelCount: Int) {
        let needed = count + (count > 0 ? 1 : 0) + labelCount
        if overflow == nil, needed <= 64 {
            withUnsafeMutableBytes(of: &buffer) { out in
                if count > 0 {
                    out[count] = 0x2E
                    count += 1
                }
                for i in from..<(from + labelCount) {
                    var c = message[i]
                    if c >= 0x41, c <= 0x5A {
                        sawUppercase = true
                        c |= 0x20
                    }
                    out[count] = c
                    count += 1
                }
            }
            return
        }
        if overflow == nil {
            overflow = withUnsafeBytes(of: &buffer) { Array($0.prefix(count)) }
        }
        if !(overflow?.isEmpty ?? true) { overflow?.append(0x2E) }
        for i in from..<(from + labelCount) {
            var c = message[i]
            if c >= 0x41, c <= 0x5A {
                sawUppercase = true
                c |= 0x20
            }
            overflow?.append(c)
        }
        count = overflow?.count ?? count
    }

    var name: DNSName {
        if let overflow { return DNSName(overflow) }
        var copy = buffer
        let n = count
        return withUnsafeBytes(of: &copy) { DNSName(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }
}
