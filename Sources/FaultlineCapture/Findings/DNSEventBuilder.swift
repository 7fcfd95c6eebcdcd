public import FaultlineCore

/// Turns a capture's DNS into the events the correlation engine reads, with
/// work proportional to what is unusual, not to the capture's length:
///
/// - `dns.transaction`: one event per transaction for the first few of each
///   name at each resolver (`routineEvents`), and for up to `unusualEvents`
///   more that failed, went unanswered, came slow, late, retried or twice;
///   multicast queries, which expect no answer, are left out.
/// - `dns.summary`: at the end, one event per name and resolver counting the
///   transactions folded in without an event of their own (answered,
///   unanswered, response codes, first addresses, slowest answer, first and
///   last frame and time), so per-name counts stay exact.
/// - `dns.finding`: at the end, the causes the capture shows (from
///   `DNSFindingDetector`), each carrying a cause from the catalogue.
public struct DNSEventBuilder {
    public static let transactionKind = EventKind("dns.transaction")
    public static let summaryKind = EventKind("dns.summary")
    public static let findingKind = EventKind("dns.finding")

    public let inputIndex: Int
    /// Each cause's layer, from the catalogue (`knowledge.causes[id]?.layer`).
    public let layers: [String: Layer]
    public private(set) var detector = DNSFindingDetector()
    private let names: DNSNameReader
    /// Routine transactions (answered NOERROR in time, first copy) given an event, per name and resolver.
    public var routineEvents = 2
    /// Unusual transactions given an event, per name and resolver; more are folded into the summary.
    public var unusualEvents = 16
    /// Names and resolvers summarised; transactions of more are only counted.
    public var capacity: Int { digests.capacity }
    /// Transactions of names beyond `capacity`.
    public private(set) var untracked = 0

    /// One name at one resolver: events given so far, and the transactions folded in.
    private struct Digest {
        var routine = 0
        var unusual = 0
        var folded = 0
        var answered = 0
        var unanswered = 0
        var positive = 0
        var rcodes = CodeCounts()
        var qtypes = QueryTypes()
        var answers: [String] = []
        var slowest: Int64 = 0
        var firstFrame = Int.max
        var lastFrame = 0
        var firstTime = CaptureTime(nanoseconds: Int64.max)
        var lastTime = CaptureTime(nanoseconds: Int64.min)
        /// The name's tally in `detector` (-1 until it has one).
        var tally: Int32 = -1
    }

    /// In the order first seen, so summaries come out the same on every run.
    private var digests: NameTable<Digest>

    public init(inputIndex: Int, layers: [String: Layer], names: DNSNameReader) {
        self.inputIndex = inputIndex
        self.layers = layers
        self.names = names
        digests = NameTable(capacity: 20_000)
    }

    /// Whether `t` is something other than a routine answer (an error, no answer, late, slow, retried),
    /// the transactions after which a live capture's findings may have changed.
    public func isUnusual(_ t: DNSTransaction) -> Bool {
        !Self.isRoutine(TransactionFacts(t), slowThreshold: detector.slowThreshold)
    }

    /// Answered NOERROR, in time, at the first copy, paired: nothing a reader needs to see one by one.
    static func isRoutine(_ t: TransactionFacts, slowThreshold: Int64) -> Bool {
        guard t.hasQuery, t.hasResponse, !t.duplicate, !t.late, !t.hasExtras else { return false }
        return t.rcode == 0 && !t.truncated && t.retransmissions == 0 && t.responseTime - t.queryTime < slowThreshold
    }

    /// A transaction the tallies gave an event of its own, with its answers as text: all the
    /// event is made of, so it can be made on another thread (`event`, `analyze`'s pipeline thread).
    public struct TransactionEvent: Sendable {
        public var transaction: DNSTransaction
        public var answers: [String]
        public var inputIndex: Int
        /// The name and the resolver as text, when the tallies have them made already.
        var host: String?
        var nameserver: String?

        /// The `dns.transaction` event.
        public var event: Event {
            let t = transaction
            // Made with room for every subject: grown one key at a time, it would be rehashed three times.
            var values = [String: String](minimumCapacity: 8)
            if let name = host ?? t.name.map({ EscapedText.plain($0) }) { values[Subjects.Key.host] = name }
            values[Subjects.Key.nameserver] = nameserver ?? t.server.description
            values["client"] = t.client.description
            if let qtype = t.qtype { values["qtype"] = DNSNames.type(qtype) }
            values["rcode"] = t.response.map { DNSNames.rcode($0.rcode) } ?? "none"
            if let rtt = t.rtt { values["rtt_ms"] = String(Double(rtt / 1000) / 1000) }
            if !answers.isEmpty { values["answers"] = answers.joined(separator: ",") }
            return Event(time: .absolute(t.firstTime.seconds),
                         location: SourceLocation(input: inputIndex, frame: t.firstFrame),
                         kind: DNSEventBuilder.transactionKind, severity: .info,
                         text: DNSTransactionText.summary(t, answers: answers, name: host), subjects: Subjects(values))
        }
    }

    /// The event for one transaction, or nil when it is folded into its name's summary (or is a
    /// multicast query), after tallying it for the findings.
    public mutating func event(for t: DNSTransaction, message: DNSMessage?) -> Event? {
        tallied(t, message: message)?.event
    }

    /// `event(for:message:)`, with the event not made yet: what it is made of.
    public mutating func tallied(_ t: DNSTransaction, message: DNSMessage?) -> TransactionEvent? {
        let facts = TransactionFacts(t)
        let key = t.dnsName.map { NameKey(name: $0, server: t.server) }
        var rendered: [String]?
        var texts: (host: String, server: String)?
        guard tally(facts, key: key, extras: facts.hasExtras || facts.retransmissions > 0 ? t : nil, message: message,
                    rendered: &rendered, texts: &texts) else {
            return nil
        }
        return TransactionEvent(transaction: t, answers: rendered ?? answers(message), inputIndex: inputIndex, host: texts?.host,
                                nameserver: texts?.server)
    }

    /// A query answered in time, as the pairing lends it (`DNSTransactionTracker.EmitPaired`):
    /// tallied from its plain values; a `DNSTransaction` is made only when it gets an event, handed
    /// to `event` (most get none: nothing is returned to be copied out and looked at).
    mutating func tally(paired key: DNSTransactionTracker.Key, _ query: borrowing DNSTransactionTracker.PendingQuery,
                        name: UnsafeRawBufferPointer?, _ response: DNSTransactionTracker.Answered,
                        message: DNSMessage, event: (TransactionEvent) -> Void) {
        let facts = TransactionFacts(paired: key, query, response, message: message)
        let nameKey = name.map { NameKey(name: DNSName($0), server: key.server) }
        var rendered: [String]?
        var texts: (host: String, server: String)?
        guard tally(facts, key: nameKey, extras: nil, message: message, rendered: &rendered, texts: &texts) else { return }
        event(TransactionEvent(transaction: DNSTransaction(paired: key, query, name: name, response, message: message),
                               answers: rendered ?? answers(message), inputIndex: inputIndex, host: texts?.host, nameserver: texts?.server))
    }

    /// A response's answers as text.
    private func answers(_ message: DNSMessage?) -> [String] {
        message.map { DNSAnswerList($0, names: names).strings } ?? []
    }

    /// Tallies one transaction for the findings and its name's summary; true when it gets an event of its own.
    /// `rendered` keeps the answers as text once the tallies have rendered them, and `texts` the name
    /// and resolver as text when the findings' tally has them (for the event).
    private mutating func tally(_ t: TransactionFacts, key: NameKey?, extras: DNSTransaction?, message: DNSMessage?,
                                rendered: inout [String]?, texts: inout (host: String, server: String)?) -> Bool {
        let names = self.names
        func answers() -> [String] {
            if let rendered { return rendered }
            let list = message.map { DNSAnswerList($0, names: names).strings } ?? []
            rendered = list
            return list
        }
        // Multicast queries expect no answer: tallied, never summarised or given an event.
        let folds = !(t.multicast && !t.hasResponse)
        guard let key else {
            var none: Int32 = -1
            detector.observe(t, key: nil, tally: &none, extras: extras, answers: answers)
            return folds
        }
        guard folds, let n = digests.slot(for: key, make: { Digest() }) else {
            if folds { untracked += 1 }
            var none: Int32 = -1
            detector.observe(t, key: key, tally: &none, extras: extras, answers: answers)
            return false
        }
        detector.observe(t, key: key, tally: &digests.values[n].tally, extras: extras, answers: answers)
        let routine = Self.isRoutine(t, slowThreshold: detector.slowThreshold)
        // Changed in place in the array, never copied out.
        guard Self.count(t, in: &digests.values[n], routine: routine, routineEvents: routineEvents, unusualEvents: unusualEvents,
                         answers: answers) else { return false }
        texts = detector.texts(ofTally: digests.values[n].tally)
        return true
    }

    /// Gives the transaction an event while its kind has some left, else folds it into the digest.
    private static func count(_ t: TransactionFacts, in digest: inout Digest, routine: Bool, routineEvents: Int, unusualEvents: Int,
                              answers: () -> [String]) -> Bool {
        if routine {
            if digest.routine < routineEvents {
                digest.routine += 1
                return true
            }
        } else if digest.unusual < unusualEvents {
            digest.unusual += 1
            return true
        }
        digest.folded += 1
        if let qtype = t.qtype { digest.qtypes.add(qtype) }
        if t.hasResponse {
            digest.answered += 1
            digest.rcodes.add(t.rcode)
            if t.rcode == 0, t.answerCount > 0 {
                digest.positive += 1
                if digest.answers.count < 4 {
                    for answer in answers() where digest.answers.count < 4 && !digest.answers.contains(answer) {
                        digest.answers.append(answer)
                    }
                }
            }
        } else {
            digest.unanswered += 1
        }
        if let rtt = t.rtt { digest.slowest = max(digest.slowest, rtt) }
        let frame = t.firstFrame
        if frame < digest.firstFrame {
            digest.firstFrame = frame
            digest.firstTime = t.firstTime
        }
        // As one event per transaction would have it: each transaction at its first frame and time.
        if frame > digest.lastFrame {
            digest.lastFrame = frame
            digest.lastTime = t.firstTime
        }
        return false
    }

    public mutating func observe(_ icmp: ICMPUnreachable) { detector.observe(icmp) }

    /// One event per name and resolver whose transactions were not all given events of their own.
    public func summaryEvents() -> [Event] {
        var events: [Event] = []
        for (key, digest) in zip(digests.keys, digests.values) where digest.folded > 0 {
            let host = EscapedText.plain(key.name)
            let rcodes = digest.rcodes.counted.map { (DNSNames.rcode($0.code), $0.count) }.sorted { $0.0 < $1.0 }
            var subjects = Subjects([Subjects.Key.host: host, Subjects.Key.nameserver: key.server.description])
            subjects["transactions"] = String(digest.folded)
            subjects["answered"] = String(digest.answered)
            subjects["unanswered"] = String(digest.unanswered)
            subjects["positive"] = String(digest.positive)
            subjects["rcodes"] = rcodes.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            if !digest.answers.isEmpty { subjects["answers"] = digest.answers.joined(separator: ",") }
            if digest.slowest > 0 { subjects["rtt_ms"] = String(Double(digest.slowest / 1000) / 1000) }
            subjects["last_frame"] = String(digest.lastFrame)
            subjects["last_time"] = String(digest.lastTime.seconds)
            var text = "\(digest.folded) more transaction\(digest.folded == 1 ? "" : "s") for \(host) at \(key.server)"
            text += " (\(digest.qtypes.list.map(DNSNames.type).joined(separator: ", "))): "
            var parts = rcodes.map { "\($0.0) ×\($0.1)" }
            if digest.unanswered > 0 { parts.append("no reply ×\(digest.unanswered)") }
            text += parts.joined(separator: ", ")
            if !digest.answers.isEmpty { text += "; answers \(digest.answers.joined(separator: ", "))" }
            if digest.slowest > 0 { text += "; slowest \(DNSTransactionText.milliseconds(digest.slowest))" }
            text += " (\(FrameList.text([digest.firstFrame, digest.lastFrame])))"
            events.append(Event(time: .absolute(digest.firstTime.seconds),
                                location: SourceLocation(input: inputIndex, frame: digest.firstFrame),
                                kind: Self.summaryKind, severity: .info, text: text, subjects: subjects))
        }
        if untracked > 0 {
            events.append(Event(time: .unknown, location: SourceLocation(input: inputIndex), kind: Self.summaryKind, severity: .info,
                                text: "\(untracked) transactions for names beyond the first \(capacity) were counted, not summarised"))
        }
        return events
    }

    /// The findings as cause-carrying events.
    public func findingEvents() -> [Event] { judged().events }

    /// The findings as cause-carrying events, and what the capture showed that was judged routine
    /// rather than a failure (a server-side capture, background NXDOMAIN), one sentence each.
    public func judged() -> (events: [Event], notes: [String]) {
        let (findings, notes) = detector.judged()
        return (findings.map(event), notes)
    }

    private func event(_ finding: DNSFindingDetector.Finding) -> Event {
        var subjects = Subjects([Subjects.Key.host: finding.host, Subjects.Key.nameserver: finding.nameserver])
        for (key, value) in finding.extra { subjects[key] = value }
        return Event(time: .absolute(finding.time.seconds),
                     location: SourceLocation(input: inputIndex, frame: finding.frame),
                     kind: Self.findingKind, severity: finding.severity, text: finding.text, subjects: subjects,
                     cause: finding.cause, layer: layers[finding.cause] ?? .networkDNS, confidence: finding.confidence)
    }
}
