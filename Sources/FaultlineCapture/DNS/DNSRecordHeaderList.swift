/// The answer records a decode found sound, kept in memory its owner provides, so
/// whoever prints them need not walk the message again (`DNSRecordIterator`).
/// Holds up to `capacity` records; past that it only notes `overflowed` and the
/// printer walks the message as before.
struct DNSRecordHeaderList {
    private let base: UnsafeMutablePointer<DNSRecordHeader>?
    let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    /// A list that keeps nothing (decodes that do not print).
    static var none: DNSRecordHeaderList { DNSRecordHeaderList(base: nil, capacity: 0) }

    init(base: UnsafeMutablePointer<DNSRecordHeader>?, capacity: Int) {
        self.base = base
        self.capacity = base == nil ? 0 : capacity
    }

    mutating func removeAll() {
        count = 0
        overflowed = false
    }

    @inline(__always)
    mutating func append(_ record: DNSRecordHeader) {
        guard count < capacity, let base else {
            overflowed = true
            return
        }
        (base + count).initialize(to: record)
        count += 1
    }

    /// The records kept, unless some did not fit.
    var records: UnsafeBufferPointer<DNSRecordHeader>? {
        overflowed ? nil : UnsafeBufferPointer(start: base, count: count)
    }
}
