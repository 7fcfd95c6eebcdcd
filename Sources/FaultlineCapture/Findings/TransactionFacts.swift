/// What the capture's tallies (`DNSFindingDetector`, `DNSEventBuilder`'s
/// digests) read of one transaction, as plain values: made from a
/// `DNSTransaction`, or straight from a query answered in time as the pairing
/// lends it, without making one. Copying it touches no reference count.
struct TransactionFacts {
    var client: Endpoint
    var server: Endpoint
    var id: UInt16
    /// The query's type, else the response's question's.
    var qtype: UInt16?
    var hasQuery = false
    var queryFrame = 0
    var queryTime = CaptureTime(nanoseconds: 0)
    /// When the query's last copy was sent.
    var queryLastTime = CaptureTime(nanoseconds: 0)
    var retransmissions = 0
    var hasResponse = false
    var responseFrame = 0
    var responseTime = CaptureTime(nanoseconds: 0)
    var rcode: UInt16 = 0
    var answerCount = 0
    var truncated = false
    var multicast = false
    var duplicate = false
    var late = false
    /// An ICMP unreachable came back for the query, or it retries a truncated answer.
    var hasExtras = false

    init(client: Endpoint, server: Endpoint, id: UInt16) {
        self.client = client
        self.server = server
        self.id = id
    }

    init(_ t: DNSTransaction) {
        self.init(client: t.client, server: t.server, id: t.id)
        qtype = t.qtype
        if let query = t.query {
            hasQuery = true
            queryFrame = query.frame
            queryTime = query.time
            queryLastTime = query.lastTime
            retransmissions = query.retransmissions
        }
        if let response = t.response {
            hasResponse = true
            responseFrame = response.frame
            responseTime = response.time
            rcode = response.rcode
            answerCount = response.answerCount
            truncated = response.header.truncated
        }
        multicast = t.multicast
        duplicate = t.duplicate
        late = t.late
        hasExtras = t.hasExtras && (t.unreachable != nil || t.retryOfTruncated != nil)
    }

    /// A query answered in time, as the pairing lends it (`DNSTransactionTracker.EmitPaired`).
    init(paired key: DNSTransactionTracker.Key, _ query: borrowing DNSTransactionTracker.PendingQuery,
         _ response: DNSTransactionTracker.Answered, message: DNSMessage) {
        self.init(client: key.client, server: key.server, id: key.id)
        qtype = query.qtype
        hasQuery = true
        queryFrame = query.frame
        queryTime = query.time
        queryLastTime = query.lastTime
        retransmissions = Int(query.retransmissions)
        hasResponse = true
        responseFrame = response.frame
        responseTime = response.time
        rcode = message.rcode
        answerCount = message.answersParsed
        truncated = message.header.truncated
    }

    /// The frame that starts the transaction (as `DNSTransaction.firstFrame`).
    var firstFrame: Int { hasQuery ? queryFrame : hasResponse ? responseFrame : 0 }
    var firstTime: CaptureTime { hasQuery ? queryTime : hasResponse ? responseTime : CaptureTime(nanoseconds: 0) }
    /// Response time minus query time, when both were seen.
    var rtt: Int64? { hasQuery && hasResponse ? responseTime - queryTime : nil }
    /// mDNS or LLMNR at either end (`DNSBackground.isLinkLocal`).
    var isLinkLocal: Bool { DNSBackground.isLinkLocal(client: client, server: server) }
}
