/// Records kept per DNS name and resolver, in the order first seen, at most
/// `capacity` of them, found by `NameKey`. `values` is changed in place
/// (`table.values[slot].count += 1`), never copied out.
///
/// The index is one word a slot (linear probing): the key's position in `keys`
/// and the top half of its hash, so a lookup reads the slot, then the key it
/// names, then its value, and growing the index moves words, not keys.
struct NameTable<Value> {
    var values: [Value] = []
    private(set) var keys: [NameKey] = []
    /// Per slot: the top 32 bits of the key's hash, then its position in `keys` plus one (0: free).
    private var slots: [UInt64]
    private var mask: Int
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        slots = [UInt64](repeating: 0, count: 1024)
        mask = 1023
    }

    var count: Int { values.count }

    /// The slot of `key`, when it has one.
    func find(_ key: NameKey) -> Int? {
        let tag = key.hash >> 32
        var slot = Int(truncatingIfNeeded: key.hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return nil }
                    if entry >> 32 == tag {
                        let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                        if keys[index] == key { return index }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Gives a new key (not in the table; the table not full) its slot.
    mutating func add(_ key: NameKey, _ value: Value) -> Int {
        values.append(value)
        keys.append(key)
        // At most half full: probes stay short.
        if keys.count * 2 > slots.count { grow() }
        place(key.hash, index: keys.count - 1)
        return keys.count - 1
    }

    /// The slot of `key`, made with `make` when the key is new; nil when the table is full.
    mutating func slot(for key: NameKey, make: () -> Value) -> Int? {
        if let found = find(key) { return found }
        guard values.count < capacity else { return nil }
        return add(key, make())
    }

    private mutating func place(_ hash: UInt64, index: Int) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(index + 1)
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        // Every key but the one being added, which `add` places next.
        for index in 0..<(keys.count - 1) { place(keys[index].hash, index: index) }
    }
}
