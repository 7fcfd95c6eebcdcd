#if canImport(Glibc)
import Glibc
#endif

/// The distinct stack frames of an input, each stored once: threads keep
/// small integer ids, so a 20,000-thread dump whose threads share a few
/// thousand frames holds a few thousand frame texts, and comparing two stacks
/// is comparing integers.
///
/// The texts live in one byte arena (a `String` is made only when a frame is
/// shown). Each frame also carries a content hash (the same in every input,
/// so stacks can be compared across files) and its `FrameKind`, computed once.
public struct FrameTable: Sendable {
    private var arena: [UInt8] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    public private(set) var hashes: [UInt64] = []
    public private(set) var kinds: [FrameKind] = []
    private var index: [UInt64: Int32] = [:]
    /// Frames whose hash collided with an earlier, different frame: chained by index.
    private var next: [Int32] = []

    public init() {}

    public var count: Int { starts.count }

    /// The frame's text (`java.lang.Thread.run(java.base@17.0.15/Thread.java:833)`).
    public subscript(id: Int32) -> String {
        withBytes(id) { ByteText.string($0) }
    }

    /// Calls `body` with the frame's bytes.
    func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = Int(starts[Int(id)])
        let length = Int(lengths[Int(id)])
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
    }

    /// The id of `bytes` as a frame text, adding it the first time it is seen.
    /// - Complexity: O(n) in the frame's length.
    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let h = ByteText.hash(bytes)
        if var candidate = index[h] {
            while true {
                if equal(candidate, bytes) { return candidate }
                let following = next[Int(candidate)]
                if following < 0 { break }
                candidate = following
            }
            let id = append(bytes, hash: h)
            next[Int(candidate)] = id
            return id
        }
        let id = append(bytes, hash: h)
        index[h] = id
        return id
    }

    /// The id of `text`, adding it the first time (JSON frames arrive as strings).
    mutating func intern(_ text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    private func equal(_ id: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard Int(lengths[Int(id)]) == bytes.count else { return false }
        guard let other = bytes.baseAddress, !bytes.isEmpty else { return true }
        let start = Int(starts[Int(id)])
        return arena.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            return memcmp(base + start, other, bytes.count) == 0
        }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        let id = Int32(starts.count)
        starts.append(Int32(arena.count))
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        hashes.append(hash)
        kinds.append(FrameKind.classify(bytes))
        next.append(-1)
        return id
    }

    /// Whether the frame belongs to a server waiting for a request (`.serverSide`) or a client
    /// of another service (`.clientSide`): a byte search for package and class markers, done only
    /// for the few threads found reading a socket.
    func direction(_ id: Int32) -> FrameKind {
        withBytes(id) { FrameKind.direction($0) }
    }
}
