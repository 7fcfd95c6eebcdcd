/// A query as the tracker keeps it while it waits for its answer.
public struct DNSQuery: Sendable {
    public var frame: Int
    public var time: CaptureTime
    public var header: DNSHeader
    /// The first question's name, lower-cased, without the trailing dot; nil when the query had no question.
    public var questionName: DNSName?
    /// `questionName` as an array.
    public var name: [UInt8]? { questionName?.bytes }
    public var qtype: UInt16
    public var qclass: UInt16
    /// Copies of this query (same connection, id and question) sent again before an answer.
    public var retransmissions = 0
    /// When the query (or its last copy) was sent.
    public var lastTime: CaptureTime
    /// Rare details, boxed so the common query stays cheap to copy.
    private var rare: Rare?

    private final class Rare: Sendable {
        let originalName: [UInt8]?
        let retransmissionFrames: [Int]
        init(originalName: [UInt8]?, retransmissionFrames: [Int]) {
            self.originalName = originalName
            self.retransmissionFrames = retransmissionFrames
        }
    }

    /// The name as sent, when its case differs (0x20 randomisation, `Us.V27.DiStRiBuTeD.NET`).
    public var originalName: [UInt8]? {
        get { rare?.originalName }
        set { rare = Rare(originalName: newValue, retransmissionFrames: retransmissionFrames) }
    }

    /// The frames of the copies sent again (the first few).
    public var retransmissionFrames: [Int] {
        get { rare?.retransmissionFrames ?? [] }
        set { rare = Rare(originalName: originalName, retransmissionFrames: newValue) }
    }

    public init(frame: Int, time: CaptureTime, header: DNSHeader, name: DNSName?, originalName: [UInt8]? = nil,
                qtype: UInt16, qclass: UInt16, lastTime: CaptureTime) {
        self.frame = frame
        self.time = time
        self.header = header
        questionName = name
        self.qtype = qtype
        self.qclass = qclass
        self.lastTime = lastTime
        if originalName != nil { rare = Rare(originalName: originalName, retransmissionFrames: []) }
    }

    public var nameText: String? { name.map { String(decoding: $0, as: UTF8.self) } }
}

/// What a response said, kept beside the query it answered.
public struct DNSResponseSummary: Sendable {
    public var frame: Int
    public var time: CaptureTime
    public var header: DNSHeader
    /// The response code with the EDNS extension.
    public var rcode: UInt16
    /// Answer records that decoded cleanly.
    public var answerCount: Int
    /// The response's own question (for responses whose query was not seen), boxed: most responses do not need it.
    private var question: Question?

    private final class Question: Sendable {
        let name: DNSName?
        let type: UInt16?
        init(name: DNSName?, type: UInt16?) {
            self.name = name
            self.type = type
        }
    }

    /// The response's own question, lower-cased (for responses whose query was not seen).
    public var questionName: DNSName? {
        get { question?.name }
        set { question = Question(name: newValue, type: question?.type) }
    }

    public var questionType: UInt16? {
        get { question?.type }
        set { question = Question(name: question?.name, type: newValue) }
    }

    public init(frame: Int, time: CaptureTime, header: DNSHeader, rcode: UInt16, answerCount: Int) {
        self.frame = frame
        self.time = time
        self.header = header
        self.rcode = rcode
        self.answerCount = answerCount
    }
}

/// A query paired with its response, a query never answered, or a response
/// whose query was not seen: the unit `faultline dns` prints one line for.
public struct DNSTransaction: Sendable {
    /// The side that asked (the side that was answered for a response without its query).
    public var client: Endpoint
    public var server: Endpoint
    public var transport: TransportProtocol
    public var id: UInt16
    public var query: DNSQuery?
    public var response: DNSResponseSummary?
    /// Sent to a multicast group (mDNS, LLMNR): never paired.
    public var multicast = false
    /// A second (or later) copy of a response already paired.
    public var duplicate = false
    /// The answer came after the query had been given up as unanswered.
    public var late = false
    /// Rare details, boxed so the common transaction stays small to copy.
    private var extras: Extras?

    /// An ICMP unreachable came back for the query.
    public var unreachable: ICMPUnreachable? {
        get { extras?.unreachable }
        set { extras = Extras(unreachable: newValue, retryOfTruncated: extras?.retryOfTruncated) }
    }

    /// For a TCP query: the UDP transaction whose TC=1 answer it retries (client, server and the truncated response's frame).
    public var retryOfTruncated: (client: Endpoint, server: Endpoint, frame: Int)? {
        get { extras?.retryOfTruncated }
        set { extras = Extras(unreachable: extras?.unreachable, retryOfTruncated: newValue) }
    }

    /// Whether an ICMP unreachable or a truncated-answer retry is attached (one test for both).
    var hasExtras: Bool { extras != nil }

    private final class Extras: Sendable {
        let unreachable: ICMPUnreachable?
        let retryOfTruncated: (client: Endpoint, server: Endpoint, frame: Int)?

        init(unreachable: ICMPUnreachable?, retryOfTruncated: (client: Endpoint, server: Endpoint, frame: Int)?) {
            self.unreachable = unreachable
            self.retryOfTruncated = retryOfTruncated
        }
    }

    public init(client: Endpoint, server: Endpoint, transport: TransportProtocol, id: UInt16,
                query: DNSQuery? = nil, response: DNSResponseSummary? = nil) {
        self.client = client
        self.server = server
        self.transport = transport
        self.id = id
        self.query = query
        self.response = response
    }

    /// A query that got no response (multicast queries are not counted as unanswered).
    public var isUnanswered: Bool { query != nil && response == nil && !multicast }

    /// Response time minus query time, in nanoseconds, when both were seen.
    public var rtt: Int64? {
        // Read field by field: binding `query` and `response` would copy both.
        guard let sent = query?.time, let answered = response?.time else { return nil }
        return answered - sent
    }

    /// The name asked about: the query's question, else the response's.
    public var name: [UInt8]? { dnsName?.bytes }

    /// `name` as a `DNSName` (no array made).
    var dnsName: DNSName? { query?.questionName ?? response?.questionName }

    /// The query type: the query's, else the response's question's.
    public var qtype: UInt16? { query?.qtype ?? response?.questionType }

    /// The frame that starts the transaction.
    public var firstFrame: Int { query?.frame ?? response?.frame ?? 0 }

    public var firstTime: CaptureTime { query?.time ?? response?.time ?? CaptureTime(nanoseconds: 0) }
}
