/// A transaction flattened for printing: plain values only (no references), so
/// batches of them cross threads and are copied without reference counting. Its
/// names (and the ICMP reason, and in a batch the response's bytes) are bytes in an
/// arena beside it, named by `ArenaSlice`. `DNSLogWriter` prints every record
/// from this form, whether it came through `write(_:_:)` or a pipeline batch.
struct DNSLogRecord: Sendable {
    /// What the printer needs of the query.
    struct Query: Sendable {
        var frame: Int
        var time: Int64
        var header: DNSHeader
        var qclass: UInt16
        var qtype: UInt16
        var retransmissions: Int
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
    /// The ICMP unreachable's frame and reason text.
    var icmp: (frame: Int, reason: ArenaSlice)?
    var retry: (client: Endpoint, server: Endpoint, frame: Int)?

    /// Flattens `t`, appending its texts to `arena`.
    @inline(__always)
    init(_ t: DNSTransaction, arena: inout [UInt8]) {
        client = t.client
        server = t.server
        transport = t.transport
        id = t.id
        multicast = t.multicast
        duplicate = t.duplicate
        late = t.late
        if let frame = t.query?.frame, let time = t.query?.time, let header = t.query?.header, let qclass = t.query?.qclass,
           let qtype = t.query?.qtype, let retransmissions = t.query?.retransmissions {
            var name: ArenaSlice?
            if t.query?.questionName != nil {
                let start = arena.count
                t.query?.questionName?.withUnsafeBytes { arena.append(contentsOf: $0) }
                name = ArenaSlice(start: start, end: arena.count)
            }
            var originalName: ArenaSlice?
            if let original = t.query?.originalName {
                originalName = ArenaSlice(start: arena.count, count: original.count)
                arena.append(contentsOf: original)
            }
            query = Query(frame: frame, time: time.nanoseconds, header: header, qclass: qclass, qtype: qtype,
                          retransmissions: retransmissions, name: name, originalName: originalName)
        } else {
            query = nil
        }
        if let frame = t.response?.frame, let time = t.response?.time, let header = t.response?.header, let rcode = t.response?.rcode {
            response = Response(frame: frame, time: time.nanoseconds, header: header, rcode: rcode)
        } else {
            response = nil
        }
        icmp = nil
        retry = nil
        if t.hasExtras {
            if let unreachable = t.unreachable {
                let start = arena.count
                arena.append(contentsOf: unreachable.reason.utf8)
                icmp = (unreachable.frame, ArenaSlice(start: start, end: arena.count))
            }
            retry = t.retryOfTruncated
        }
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
