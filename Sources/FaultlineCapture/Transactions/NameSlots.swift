/// The question names of the queries the tracker holds open, each in a fixed slot of
/// `DNSName.inlineCapacity` bytes reused through a free list: an open entry keeps a slot
/// number instead of the name, so entries are plain values, moved and copied without
/// reference counting. (A longer name is kept apart, as rare.) Memory grows with the
/// number of names held at once, never with the capture's length.
struct NameSlots {
    static let slotSize = 64

    /// The slots, and the stack of free slot numbers (room for every slot: no bounds to check).
    private final class Storage {
        var base: UnsafeMutableRawPointer
        var free: UnsafeMutablePointer<Int32>
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(byteCount: capacity * NameSlots.slotSize, alignment: 64)
            free = .allocate(capacity: capacity)
        }

        deinit {
            base.deallocate()
            free.deallocate()
        }
    }

    private var storage = Storage(capacity: 1024)
    private var freeCount = 0
    private var used = 0

    /// Copies `bytes` (at most `DNSName.inlineCapacity`) into a slot and returns its number.
    @inline(__always)
    mutating func store(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let slot: Int
        if freeCount > 0 {
            freeCount -= 1
            slot = Int(storage.free[freeCount])
        } else {
            if used == storage.capacity { grow() }
            slot = used
            used += 1
        }
        if let source = bytes.baseAddress, bytes.count > 0 {
            ByteSink.copy(source, to: storage.base + slot * Self.slotSize, count: min(bytes.count, Self.slotSize))
        }
        return Int32(truncatingIfNeeded: slot)
    }

    /// The `count` bytes stored in `slot` (valid until the next `store`).
    @inline(__always)
    func bytes(_ slot: Int32, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage.base + Int(slot) * Self.slotSize, count: count)
    }

    /// Gives `slot` back for reuse.
    @inline(__always)
    mutating func release(_ slot: Int32) {
        storage.free[freeCount] = slot
        freeCount += 1
    }

    mutating func removeAll() {
        storage = Storage(capacity: 1024)
        freeCount = 0
        used = 0
    }

    /// Only when every slot is in use (so the free stack is empty).
    private mutating func grow() {
        let bigger = Storage(capacity: storage.capacity * 2)
        bigger.base.copyMemory(from: storage.base, byteCount: used * Self.slotSize)
        storage = bigger
    }
}
