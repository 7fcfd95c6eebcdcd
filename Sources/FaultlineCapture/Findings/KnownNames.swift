#if canImport(Glibc)
import Glibc
#endif

/// The names of a capture's tallies (one per name and resolver, so a name
/// may come more than once) as one byte table, found by their bytes without
/// making a `String`: what the end-of-capture judgement asks of every name
/// (is this name's head another name the capture asked for, which tallies
/// hold this text). Built once, then only read.
struct KnownNames {
    /// Every name's bytes, one after another; name `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Open table of distinct texts: the first tally index holding the text, plus one (0: free).
    private var slots: [Int32]
    private let mask: Int
    /// For each tally index, the next index with the same text (-1: none), in ascending order.
    private var nextSame: [Int32]
    /// For each tally index, the first index with the same text.
    private var firstOfSame: [Int32]

    init(_ names: [String]) {
        var size = 16
        while size < names.count * 2 { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        nextSame = [Int32](repeating: -1, count: names.count)
        firstOfSame = [Int32](repeating: -1, count: names.count)
        bytes.reserveCapacity(names.reduce(0) { $0 + $1.utf8.count })
        starts.reserveCapacity(names.count + 1)
        for text in names {
            bytes.append(contentsOf: text.utf8)
            starts.append(bytes.count)
        }
        // The last index seen of each distinct text, by its first index: where the chain is extended.
        var lastSame = [Int32](repeating: -1, count: names.count)
        for index in names.indices {
            let (slot, found) = bytes.withUnsafeBytes { all in probe(name(index, in: all), in: all) }
            if let first = found {
                nextSame[Int(lastSame[first])] = Int32(index)
                lastSame[first] = Int32(index)
                firstOfSame[index] = Int32(first)
            } else {
                slots[slot] = Int32(index + 1)
                lastSame[index] = Int32(index)
                firstOfSame[index] = Int32(index)
            }
        }
    }

    var count: Int { starts.count - 1 }

    /// Calls `body` with name `index`'s bytes.
    func withName<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(name(index, in: $0)) }
    }

    /// The first tally index whose name is `text`, when one is.
    func first(_ text: UnsafeRawBufferPointer) -> Int? {
        bytes.withUnsafeBytes { all in probe(text, in: all).first }
    }

    /// Where `text` is in the open table, or would go: its slot, and the first tally index holding it when one does.
    private func probe(_ text: UnsafeRawBufferPointer, in all: UnsafeRawBufferPointer) -> (slot: Int, first: Int?) {
        var slot = Self.hash(text) & mask
        while slots[slot] != 0 {
            let first = Int(slots[slot]) - 1
            if Self.equal(name(first, in: all), text) { return (slot, first) }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    /// Name `index`'s bytes within `all` (the table's bytes).
    private func name(_ index: Int, in all: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: all[starts[index]..<starts[index + 1]])
    }

    func contains(_ text: UnsafeRawBufferPointer) -> Bool { first(text) != nil }

    /// The first tally index whose name is the same text as name `index`'s (`index` itself when it is the first).
    func firstSame(_ index: Int) -> Int { Int(firstOfSame[index]) }

    /// Every tally index whose name is the same text as name `index`'s, `index` among them, ascending.
    func same(as index: Int) -> [Int] { chain(from: firstSame(index)) }

    /// Every tally index whose name is `text`, ascending (empty when none is).
    func indices(of text: UnsafeRawBufferPointer) -> [Int] {
        guard let first = first(text) else { return [] }
        return chain(from: first)
    }

    private func chain(from first: Int) -> [Int] {
        var out = [first]
        var next = nextSame[first]
        while next >= 0 {
            out.append(Int(next))
            next = nextSame[Int(next)]
        }
        return out
    }

    private static func hash(_ text: UnsafeRawBufferPointer) -> Int {
        var h = NameKey.mixed(text)
        h ^= h >> 31
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress.unsafelyUnwrapped, b.baseAddress.unsafelyUnwrapped, a.count) == 0)
    }
}
