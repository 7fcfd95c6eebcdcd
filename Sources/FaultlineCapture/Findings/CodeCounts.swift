/// How many answers came with each DNS response code (with its EDNS extension):
/// the common codes (0–7: NOERROR to NXRRSET) counted in place, so tallying an
/// answer hashes nothing; rarer codes in a dictionary.
struct CodeCounts {
    private var common: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var rare: [UInt16: Int] = [:]

    @inline(__always)
    mutating func add(_ code: UInt16) {
        if code < 8 {
            withUnsafeMutableBytes(of: &common) { $0.storeBytes(of: $0.load(fromByteOffset: Int(code) * 4, as: UInt32.self) &+ 1,
                                                                  toByteOffset: Int(code) * 4, as: UInt32.self) }
        } else {
            rare[code, default: 0] += 1
        }
    }

    /// The count for `code` (0 when none came).
    subscript(code: UInt16) -> Int {
        if code < 8 { return withUnsafeBytes(of: common) { Int($0.load(fromByteOffset: Int(code) * 4, as: UInt32.self)) } }
        return rare[code] ?? 0
    }

    /// The codes that came, with their counts, in code order.
    var counted: [(code: UInt16, count: Int)] {
        var out: [(code: UInt16, count: Int)] = []
        for code in UInt16(0)..<8 where self[code] > 0 { out.append((code, self[code])) }
        for (code, count) in rare.sorted(by: { $0.key < $1.key }) { out.append((code, count)) }
        return out
    }
}
