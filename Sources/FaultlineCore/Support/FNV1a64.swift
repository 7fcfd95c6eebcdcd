/// FNV-1a, 64 bits: a content hash for fingerprints (a case's inputs, a pipeline's YAML),
/// written as `fnv1a64:` and 16 hex digits. Not a cryptographic hash.
public struct FNV1a64: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Mixes `bytes` in.
    public mutating func mix(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        value = hash
    }

    /// Mixes in a length as 8 little-endian bytes (`-1` for "missing").
    public mutating func mix(size: Int) {
        withUnsafeBytes(of: UInt64(bitPattern: Int64(size)).littleEndian) { mix($0) }
    }

    /// `fnv1a64:` and the hash in 16 hex digits.
    public var text: String {
        var hex = String(value, radix: 16)
        while hex.count < 16 { hex = "0" + hex }
        return "fnv1a64:" + hex
    }
}
