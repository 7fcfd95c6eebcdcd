/// The last `capacity` keys recorded, each with a value, in a ring written in
/// order: recording one is a store, not a hash-table insertion. Found by a
/// scan of their hashes, newest first; for what is recorded often and looked
/// up rarely (each answer, against the rare ICMP error that quotes one).
struct RecentKeys<Key: Equatable, Value> {
    private var hashes: [UInt64]
    private var keys: [Key?]
    private var values: [Value?]
    /// Where the next key goes.
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        hashes = [UInt64](repeating: 0, count: self.capacity)
        keys = [Key?](repeating: nil, count: self.capacity)
        values = [Value?](repeating: nil, count: self.capacity)
    }

    /// Records `key` (whose hash is `hash`) with `value`, over the oldest when the ring is full.
    @inline(__always)
    mutating func record(_ key: Key, hash: UInt64, value: Value) {
        hashes[next] = hash
        keys[next] = key
        values[next] = value
        next = next + 1 == capacity ? 0 : next + 1
    }

    /// The value of the newest record of `key`, when one is still in the ring.
    func find(_ key: Key, hash: UInt64) -> Value? {
        var slot = next
        for _ in 0..<capacity {
            slot = slot == 0 ? capacity - 1 : slot - 1
            if hashes[slot] == hash, keys[slot] == key { return values[slot] }
        }
        return nil
    }
}
