/// Records kept per DNS name and resolver, in the order first seen, at most
/// `capacity` of them, found by `NameKey` through an open table. `values` is
/// changed in place (`table.values[slot].count += 1`), never copied out.
struct NameTable<Value> {
    var values: [Value] = []
    private(set) var keys: [NameKey] = []
    private var index = OpenTable<NameKey, Int>()
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { values.count }

    /// The slot of `key`, when it has one.
    func find(_ key: NameKey) -> Int? {
        index.find(key, hash: key.hash).map { index.value(at: $0) }
    }

    /// Gives a new key (not in the table; the table not full) its slot.
    mutating func add(_ key: NameKey, _ value: Value) -> Int {
        values.append(value)
        keys.append(key)
        index.insert(key, hash: key.hash, value: values.count - 1)
        return values.count - 1
    }

    /// The slot of `key`, made with `make` when the key is new; nil when the table is full.
    mutating func slot(for key: NameKey, make: () -> Value) -> Int? {
        if let found = find(key) { return found }
        guard values.count < capacity else { return nil }
        return add(key, make())
    }
}
