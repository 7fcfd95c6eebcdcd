/// The first eight distinct query types a name (or a resolver) was asked for,
/// in the order first asked, kept inside the tally: telling whether a type is
/// new reads no memory of its own and allocates nothing.
struct QueryTypes {
    static let limit = 8
    private var types: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var count: UInt8 = 0

    /// Adds `type` unless it is kept already or eight are.
    @inline(__always)
    mutating func add(_ type: UInt16) {
        let count = Int(count)
        guard count < Self.limit else { return }
        let known = withUnsafeBytes(of: types) { stored in
            (0..<count).contains { stored.load(fromByteOffset: $0 * 2, as: UInt16.self) == type }
        }
        guard !known else { return }
        withUnsafeMutableBytes(of: &types) { $0.storeBytes(of: type, toByteOffset: count * 2, as: UInt16.self) }
        self.count += 1
    }

    /// The types, in the order first asked.
    var list: [UInt16] {
        withUnsafeBytes(of: types) { stored in (0..<Int(count)).map { stored.load(fromByteOffset: $0 * 2, as: UInt16.self) } }
    }
}
