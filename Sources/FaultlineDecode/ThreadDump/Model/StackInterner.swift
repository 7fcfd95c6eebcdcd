/// Gives the threads of one dump that have the same stack one shared frame
/// array, and every other stack an array of exactly its size: an idle pool of
/// 10,000 workers holds one copy of the pool's stack, not 10,000.
///
/// Kept per dump and dropped with it (`reset()`).
struct StackInterner: Sendable {
    private var table: [UInt64: [Int32]] = [:]

    /// `frames` as stored: the array of an earlier thread with the same stack, or a fresh exact-size copy.
    /// - Complexity: O(n) in the stack's depth.
    mutating func intern(_ frames: [Int32]) -> [Int32] {
        guard !frames.isEmpty else { return [] }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(frames.count)
        for id in frames { h = (h ^ UInt64(UInt32(bitPattern: id))) &* 0x0000_0100_0000_01B3 }
        if let known = table[h], known == frames { return known }
        let exact = [Int32](unsafeUninitializedCapacity: frames.count) { buffer, count in
            for (i, id) in frames.enumerated() { buffer[i] = id }
            count = frames.count
        }
        if table[h] == nil { table[h] = exact }
        return exact
    }

    mutating func reset() {
        table.removeAll()
    }
}
