import CByteScan

/// A hash table with linear probing for the tracker's open transactions:
/// keys hash to one 64-bit word mixed by hand (no SipHash per lookup), slots
/// live in raw storage, a deletion shifts its cluster back (no tombstones).
/// Slot numbers are valid until the next insertion or removal. Each entry also has a 64-bit
/// tag kept beside its hash (the tracker's deadline), in the same 16 bytes: a scan for tags past
/// some value reads 16 bytes a slot, not the values, and an insertion writes one cache line, not two.
struct OpenTable<Key: Equatable, Value> {
    /// A slot's hash (0: free) and its entry's tag.
    private struct Head {
        var hash: UInt64
        var tag: Int64
    }

    private final class Storage {
        let capacity: Int
        let heads: UnsafeMutablePointer<Head>
        let keys: UnsafeMutablePointer<Key>
        let values: UnsafeMutablePointer<Value>

        init(capacity: Int) {
            self.capacity = capacity
            heads = .allocate(capacity: capacity)
            heads.initialize(repeating: Head(hash: 0, tag: 0), count: capacity)
            keys = .allocate(capacity: capacity)
            values = .allocate(capacity: capacity)
        }

        deinit {
            for slot in 0..<capacity where heads[slot].hash != 0 {
                (keys + slot).deinitialize(count: 1)
                (values + slot).deinitialize(count: 1)
            }
            heads.deallocate()
            keys.deallocate()
            values.deallocate()
        }
    }

    private var storage: Storage
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        storage = Storage(capacity: size)
        mask = size - 1
    }

    var isEmpty: Bool { count == 0 }

    /// The slot holding `key`, whose hash is `hash` (never 0).
    @inline(__always)
    func find(_ key: Key, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let h = storage.heads[slot].hash
            if h == 0 { return nil }
            if h == hash, storage.keys[slot] == key { return slot }
            slot = (slot &+ 1) & mask
        }
    }

    /// The first slot whose key hashes to `hash` (for queues that keep only hashes).
    @inline(__always)
    func find(hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let h = storage.heads[slot].hash
            if h == 0 { return nil }
            if h == hash { return slot }
            slot = (slot &+ 1) & mask
        }
    }

    /// Starts bringing in the cache lines a lookup of `hash` will touch first (its home slot's
    /// hash and tag, key and value), so a lookup issued a few packets later does not wait for memory.
    @inline(__always)
    func prefetch(hash: UInt64) {
        let slot = Int(truncatingIfNeeded: hash) & mask
        let s = storage
        fl_prefetch(s.heads + slot)
        fl_prefetch(s.keys + slot)
        let value = UnsafeRawPointer(s.values + slot)
        fl_prefetch(value)
        if MemoryLayout<Value>.stride > 64 { fl_prefetch(value + 64) }
    }

    /// Adds `key`, which must not be in the table.
    @inline(__always)
    mutating func insert(_ key: consuming Key, hash: UInt64, value: consuming Value, tag: Int64 = 0) {
        if (count + 1) * 2 > storage.capacity { grow() }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while storage.heads[slot].hash != 0 { slot = (slot &+ 1) & mask }
        storage.heads[slot] = Head(hash: hash, tag: tag)
        (storage.keys + slot).initialize(to: consume key)
        (storage.values + slot).initialize(to: consume value)
        count += 1
    }

    @inline(__always)
    func key(at slot: Int) -> Key { storage.keys[slot] }

    /// The tag of the entry in `slot`.
    @inline(__always)
    func tag(at slot: Int) -> Int64 { storage.heads[slot].tag }

    @inline(__always)
    func setTag(_ tag: Int64, at slot: Int) { storage.heads[slot].tag = tag }

    @inline(__always)
    func value(at slot: Int) -> Value { storage.values[slot] }

    /// Where the value in `slot` lives (valid until the next insertion or removal): its fields are
    /// read through it without copying the whole value.
    @inline(__always)
    func valuePointer(at slot: Int) -> UnsafeMutablePointer<Value> { storage.values + slot }

    /// Changes the value in `slot` in place.
    @inline(__always)
    func update(at slot: Int, _ body: (inout Value) -> Void) { body(&storage.values[slot]) }

    /// Removes the entry in `slot` and closes the gap it leaves.
    mutating func remove(at slot: Int) {
        let s = storage
        (s.keys + slot).deinitialize(count: 1)
        (s.values + slot).deinitialize(count: 1)
        closeGap(at: slot)
    }

    /// Removes the entry in `slot` and hands its value over (moved, not copied).
    @inline(__always)
    mutating func take(at slot: Int) -> Value {
        let s = storage
        (s.keys + slot).deinitialize(count: 1)
        let value = (s.values + slot).move()
        closeGap(at: slot)
        return value
    }

    /// Marks `slot` free (its key and value already gone) and shifts its cluster back.
    private mutating func closeGap(at slot: Int) {
        let s = storage
        s.heads[slot].hash = 0
        count -= 1
        var hole = slot
        var next = slot
        while true {
            next = (next &+ 1) & mask
            let h = s.heads[next].hash
            if h == 0 { return }
            let home = Int(truncatingIfNeeded: h) & mask
            // Leave it if its home lies cyclically in (hole, next].
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if stays { continue }
            (s.keys + hole).moveInitialize(from: s.keys + next, count: 1)
            (s.values + hole).moveInitialize(from: s.values + next, count: 1)
            s.heads[hole] = s.heads[next]
            s.heads[next].hash = 0
            hole = next
        }
    }

    /// Calls `body` with every occupied slot whose tag is at most `limit` (the table must not change meanwhile).
    @inline(__always)
    func forEachSlot(taggedAtMost limit: Int64, _ body: (Int) -> Void) {
        let s = storage
        for slot in 0..<s.capacity where s.heads[slot].hash != 0 && s.heads[slot].tag <= limit { body(slot) }
    }

    /// Every occupied slot (for the end of a capture).
    var slots: [Int] { (0..<storage.capacity).filter { storage.heads[$0].hash != 0 } }

    mutating func removeAll() {
        self = OpenTable(capacity: 1024)
    }

    private mutating func grow() {
        let old = storage
        let size = old.capacity * 2
        let bigger = Storage(capacity: size)
        let newMask = size - 1
        for slot in 0..<old.capacity where old.heads[slot].hash != 0 {
            let h = old.heads[slot].hash
            var target = Int(truncatingIfNeeded: h) & newMask
            while bigger.heads[target].hash != 0 { target = (target &+ 1) & newMask }
            bigger.heads[target] = old.heads[slot]
            (bigger.keys + target).moveInitialize(from: old.keys + slot, count: 1)
            (bigger.values + target).moveInitialize(from: old.values + slot, count: 1)
            old.heads[slot].hash = 0
        }
        storage = bigger
        mask = newMask
    }
}
