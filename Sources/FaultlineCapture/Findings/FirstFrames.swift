/// The first frames that showed something (evidence for a finding): frames are
/// added while fewer than 32 are kept, a pair at once as one addition. Whether
/// the list is full is kept beside it, so a busy name's later transactions do
/// not touch the list at all.
struct FirstFrames {
    static let limit = 32
    private(set) var list: [Int] = []
    private var full = false

    @inline(__always)
    mutating func add(_ frame: Int) {
        guard !full else { return }
        list.append(frame)
        full = list.count >= Self.limit
    }

    /// A query's frame and its answer's, added together (the list may then hold one more than the limit).
    @inline(__always)
    mutating func add(_ first: Int, _ second: Int) {
        guard !full else { return }
        list.append(first)
        list.append(second)
        full = list.count >= Self.limit
    }
}

/// `FirstFrames` per response code, for the few codes a name was answered with:
/// found by a scan of a short list, with nothing hashed.
struct FramesByCode {
    private var codes: [UInt16] = []
    private var frames: [FirstFrames] = []

    @inline(__always)
    mutating func add(_ code: UInt16, _ first: Int, _ second: Int?) {
        let index: Int
        if let found = codes.firstIndex(of: code) {
            index = found
        } else {
            codes.append(code)
            frames.append(FirstFrames())
            index = codes.count - 1
        }
        if let second { frames[index].add(first, second) } else { frames[index].add(first) }
    }

    /// The frames kept for `code`, when it came.
    subscript(code: UInt16) -> [Int]? {
        codes.firstIndex(of: code).map { frames[$0].list }
    }
}
