/// A transaction flattened for printing: plain values only (no references), so
/// batches of them cross threads and are copied without reference counting. Its
/// names and rare parts (ICMP reason, TC retry) are bytes in an arena beside it,
/// named by `ArenaSlice` (a batch says where each response's bytes are:
/// `ResponseCopy`). `DNSLogWriter` prints every record from this form, whether it
/// came through `write(_:_:)` or a pipeline batch.
struct DNSLogRecord: Sendable {
    /// What the printer needs of the query.
    struct Query: Sendable {
        var frame: Int
        var time: Int64
        var header: DNSHeader
        var qclass: UInt16
        var qtype: UInt16
        var retransmissions: Int32
        /// The lower-cased question name; nil when the query had no question.
        var name: ArenaSlice?
        /// The name as sent, when its case differs.
        var originalName: ArenaSlice?
    }

    /// What the printer needs of the response.
    struct Response: Sendable {
        var frame: Int
        var time: Int64
        var header: DNSHeader
        var rcode: UInt16
    }

    var client: Endpoint
    var server: Endpoint
    var transport: TransportProtocol
    var id: UInt16
    var multicast: Bool
    var duplicate: Bool
    var late: Bool
    var query: Query?
    var response: Response?
    /// Where the record's `Extras` lie in the arena; -1 when it has none (most records: keeping
    /// them out of line makes the record a third smaller).
    var extrasOffset: Int32

    /// What few transactions carry: an ICMP unreachable, the truncated exchange a TCP query retries.
    struct Extras {
        /// The ICMP unreachable's frame and reason text.
        var icmp: (frame: Int, reason: ArenaSlice)?
        var retry: (client: Endpoint, server: Endpoint, frame: Int)?
    }

    /// The record's extras, read back from `arena`; nil when it has none.
    func extras(in arena: UnsafeRawBufferPointer) -> Extras? {
        guard extrasOffset >= 0, let base = arena.baseAddress else { return nil }
        var extras = Extras(icmp: nil, retry: nil)
        withUnsafeMutableBytes(of: &extras) { target in
            target.baseAddress?.copyMemory(from: base + Int(extrasOffset), byteCount: MemoryLayout<Extras>.size)
        }
        return extras
    }

    /// Flattens `t`, appending its texts to `arena`.
    @inline(__always)
    init(_ t: DNSTransaction, arena: ByteArena) {
        client = t.client
        server = t.server
        transport = t.transport
        id = t.id
        multicast = t.multicast
        duplicate = t.duplicate
        late = t.late
        query = t.query.map { Query($0, arena: arena) }
        response = t.response.map { Response($0) }
        extrasOffset = -1
        if t.hasExtras {
            var extras = Extras(icmp: nil, retry: t.retryOfTruncated)
            if let unreachable = t.unreachable {
                let start = arena.count
                arena.append(Array(unreachable.reason.utf8))
                extras.icmp = (unreachable.frame, ArenaSlice(start: start, end: arena.count))
            }
            extrasOffset = Int32(truncatingIfNeeded: arena.count)
            withUnsafeBytes(of: &extras) { arena.append($0) }
        }
    }

    /// A query answered in time (the tracker's `EmitPaired`): what `init(_:arena:)` makes of the
    /// transaction the tracker would otherwise have built.
    @inline(__always)
    init(_ key: DNSTransactionTracker.Key, query: borrowing DNSTransactionTracker.PendingQuery, name: UnsafeRawBufferPointer?,
         response: DNSTransactionTracker.Answered, message: DNSMessage, arena: ByteArena) {
        client = key.client
        server = key.server
        transport = key.transport
        id = key.id
        multicast = false
        duplicate = false
        late = false
        self.query = Query(query, name: name, arena: arena)
        self.response = Response(frame: response.frame, time: response.time.nanoseconds, header: message.header, rcode: message.rcode)
        extrasOffset = -1
    }
}

extension DNSLogRecord.Query {
    /// The query's fields, its name (and spelling as sent) copied into `arena`.
    @inline(__always)
    init(frame: Int, time: CaptureTime, header: DNSHeader, qclass: UInt16, qtype: UInt16, retransmissions: Int32,
         name: UnsafeRawBufferPointer?, originalName: [UInt8]?, arena: ByteArena) {
        self.frame = frame
        self.time = time.nanoseconds
        self.header = header
        self.qclass = qclass
        self.qtype = qtype
        self.retransmissions = retransmissions
        self.name = nil
        self.originalName = nil
        if let name {
            let start = arena.count
            arena.append(name)
            self.name = ArenaSlice(start: start, end: arena.count)
        }
        if let originalName {
            self.originalName = ArenaSlice(start: arena.count, count: originalName.count)
            arena.append(originalName)
        }
    }

    /// A transaction's query.
    @inline(__always)
    init(_ q: borrowing DNSQuery, arena: ByteArena) {
        let retransmissions = Int32(clamping: q.retransmissions)
        let original = q.originalName
        if let name = q.questionName {
            self = name.withUnsafeBytes { name in
                Self(frame: q.frame, time: q.time, header: q.header, qclass: q.qclass, qtype: q.qtype, retransmissions: retransmissions,
                     name: name, originalName: original, arena: arena)
            }
        } else {
            self.init(frame: q.frame, time: q.time, header: q.header, qclass: q.qclass, qtype: q.qtype, retransmissions: retransmissions,
                      name: nil, originalName: original, arena: arena)
        }
    }

    /// A query from the tracker's table, its name lent beside it (no spelling of its own: such
    /// queries come as transactions).
    @inline(__always)
    init(_ q: borrowing DNSTransactionTracker.PendingQuery, name: UnsafeRawBufferPointer?, arena: ByteArena) {
        self.init(frame: q.frame, time: q.time, header: q.header, qclass: q.qclass, qtype: q.qtype, retransmissions: q.retransmissions,
                  name: name, originalName: nil, arena: arena)
    }
}

extension DNSLogRecord.Response {
    @inline(__always)
    init(_ r: borrowing DNSResponseSummary) {
        frame = r.frame
        time = r.time.nanoseconds
        header = r.header
        rcode = r.rcode
    }
}

/// Where some bytes lie in an arena.
struct ArenaSlice: Sendable {
    var start: UInt32
    var count: UInt32

    @inline(__always)
    init(start: Int, count: Int) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.count = UInt32(truncatingIfNeeded: count)
    }

    @inline(__always)
    init(start: Int, end: Int) { self.init(start: start, count: end - start) }

    /// The bytes in `arena`.
    @inline(__always)
    func bytes(in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        arena.slice(Int(start), Int(start) + Int(count))
    }
}
