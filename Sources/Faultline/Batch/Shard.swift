/// One of N deterministic parts of a batch: a case belongs to shard K of N
/// when the FNV-1a 64-bit hash of its key, modulo N, is K − 1. The hash is
/// unseeded (unlike Swift's `Hasher`), so every machine and every run puts a
/// case in the same shard, and shards 1/N … N/N cover a batch exactly once.
public struct Shard: Sendable, Hashable {
    /// 1-based.
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) throws(BatchError) {
        guard count >= 1, (1...count).contains(index) else { throw .badShard("\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`.
    public init(parsing text: String) throws(BatchError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { throw .badShard(text) }
        do { try self.init(index: k, count: n) } catch { throw .badShard(text) }
    }

    public func contains(key: String) -> Bool {
        Int(Self.fnv1a64(key) % UInt64(count)) == index - 1
    }

    /// FNV-1a, 64 bits, over the key's UTF-8 bytes.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
