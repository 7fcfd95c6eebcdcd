/// Groups the prefilter's probes into the eight buckets of the nibble-shuffle
/// kernel (the "Teddy" technique of Hyperscan and Rust's regex): a bucket is a
/// bit, and a byte belongs to a bucket when its low nibble and its high nibble
/// are both among the bucket's. Two shuffles per input byte then test all
/// probes at once, whatever their number, at the price of false candidates
/// from the nibbles' cross products, which verification rejects.
///
/// The grouping is agglomerative: every probe starts as its own bucket, and
/// the two buckets whose union adds the least expected traffic (from the
/// sample's byte and byte-pair frequencies) merge until eight remain.
struct NibbleBuckets {
    /// One bucket: the nibbles its first byte may have, and those of the byte after it.
    struct Bucket: Equatable {
        var firstLow: UInt16
        var firstHigh: UInt16
        /// All ones for a single-byte probe: any byte may follow.
        var secondLow: UInt16
        var secondHigh: UInt16

        init(first: UInt8, second: UInt8?) {
            firstLow = 1 << UInt16(first & 0x0F)
            firstHigh = 1 << UInt16(first >> 4)
            if let second {
                secondLow = 1 << UInt16(second & 0x0F)
                secondHigh = 1 << UInt16(second >> 4)
            } else {
                secondLow = 0xFFFF
                secondHigh = 0xFFFF
            }
        }

        func union(_ other: Bucket) -> Bucket {
            var merged = self
            merged.firstLow |= other.firstLow
            merged.firstHigh |= other.firstHigh
            merged.secondLow |= other.secondLow
            merged.secondHigh |= other.secondHigh
            return merged
        }

        /// The bytes a nibble pair of sets admits.
        static func bytes(low: UInt16, high: UInt16) -> [Int] {
            var result: [Int] = []
            for h in 0..<16 where high & (1 << UInt16(h)) != 0 {
                for l in 0..<16 where low & (1 << UInt16(l)) != 0 { result.append(h << 4 | l) }
            }
            return result
        }
    }

    static let count = 8

    /// The four 32-byte shuffle tables the kernel reads, in this order: first
    /// byte's low nibble, its high nibble, second byte's low, its high (each 16
    /// entries, repeated for the second 128-bit lane).
    let tables: [UInt8]
    let buckets: [Bucket]

    /// - Parameters:
    ///   - single: how often each byte occurs per input byte.
    ///   - pair: how often each byte pair (`first << 8 | second`) occurs.
    init(singles: [UInt8], pairs: [(UInt8, UInt8)], single: [Double], pair: [Double]) {
        var buckets = singles.map { Bucket(first: $0, second: nil) } + pairs.map { Bucket(first: $0.0, second: $0.1) }
        func traffic(_ bucket: Bucket) -> Double {
            let firsts = Bucket.bytes(low: bucket.firstLow, high: bucket.firstHigh)
            if bucket.secondLow == 0xFFFF && bucket.secondHigh == 0xFFFF {
                return firsts.reduce(0) { $0 + single[$1] }
            }
            let seconds = Bucket.bytes(low: bucket.secondLow, high: bucket.secondHigh)
            // Past this size the exact sum costs more than it tells: bound it by the first bytes alone.
            if firsts.count * seconds.count > 4096 { return firsts.reduce(0) { $0 + single[$1] } }
            var sum = 0.0
            for a in firsts { for b in seconds { sum += pair[a << 8 | b] } }
            return sum
        }
        var cost = buckets.map(traffic)
        // What merging i and j adds, kept for every pair and refreshed only for a new bucket.
        var added: [[Double]] = Array(repeating: Array(repeating: 0, count: buckets.count), count: buckets.count)
        for i in buckets.indices {
            for j in buckets.indices where j > i {
                added[i][j] = traffic(buckets[i].union(buckets[j])) - cost[i] - cost[j]
            }
        }
        var alive = Array(buckets.indices)
        while alive.count > Self.count {
            var best: (i: Int, j: Int, added: Double)?
            for (x, i) in alive.enumerated() {
                for j in alive[(x + 1)...] where best.map({ added[i][j] < $0.added }) ?? true {
                    best = (i, j, added[i][j])
                }
            }
            guard let best else { break }
            buckets[best.i] = buckets[best.i].union(buckets[best.j])
            cost[best.i] = traffic(buckets[best.i])
            alive.removeAll { $0 == best.j }
            for k in alive where k != best.i {
                let (lo, hi) = k < best.i ? (k, best.i) : (best.i, k)
                added[lo][hi] = traffic(buckets[lo].union(buckets[hi])) - cost[lo] - cost[hi]
            }
        }
        let kept = alive.map { buckets[$0] }
        var tables = [UInt8](repeating: 0, count: 128)
        for (bit, bucket) in kept.enumerated() {
            let mask = UInt8(1 << bit)
            for nibble in 0..<16 {
                let n = UInt16(1) << UInt16(nibble)
                for lane in [0, 16] {
                    if bucket.firstLow & n != 0 { tables[lane + nibble] |= mask }
                    if bucket.firstHigh & n != 0 { tables[32 + lane + nibble] |= mask }
                    if bucket.secondLow & n != 0 { tables[64 + lane + nibble] |= mask }
                    if bucket.secondHigh & n != 0 { tables[96 + lane + nibble] |= mask }
                }
            }
        }
        self.tables = tables
        self.buckets = kept
    }
}
