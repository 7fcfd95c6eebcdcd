import FaultlineCore

/// What the captures of a case say about each name: how often it was asked,
/// answered, failed or left unanswered, and when. This is the evidence for
/// or against what a log claims about DNS (a log that could not resolve a
/// name the capture shows answered is not a DNS failure).
///
/// Bounded: at most `capacity` names are tracked; the rest are only counted.
struct DNSObservations {
    /// One name's transactions in one capture.
    struct Record {
        var input: Int
        var queries = 0
        var answered = 0
        var unanswered = 0
        /// NOERROR answers that carried records.
        var positive = 0
        var rcodes: [String: Int] = [:]
        var nameservers: [String] = []
        var answers: [String] = []
        var firstTime: Double?
        var lastTime: Double?
        var firstFrame: Int?
        var lastFrame: Int?
        var slowestMilliseconds: Double = 0

        var frames: String {
            guard let first = firstFrame else { return "" }
            guard let last = lastFrame, last != first else { return "frame \(first)" }
            return "frames \(first)–\(last)"
        }
    }

    static let transactionKind = EventKind("dns.transaction")
    /// Transactions of one name at one resolver folded together by the capture reader (counts in subjects).
    static let summaryKind = EventKind("dns.summary")
    static let findingKind = EventKind("dns.finding")

    private(set) var records: [String: Record] = [:]
    private(set) var untracked = 0
    /// Inputs that delivered DNS transactions (the captures of the case).
    private(set) var captureInputs: Set<Int> = []
    let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    /// Counts a `dns.transaction` event as one transaction, a `dns.summary` event as the many it folds.
    mutating func observe(_ event: Event) {
        guard event.kind == Self.transactionKind || event.kind == Self.summaryKind,
              let named = event.subjects[Subjects.Key.host] else { return }
        // A capture's names come lower-cased already: copied lower-cased only when they are not.
        let lower = !named.utf8.contains { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || $0 >= 0x80 }
        let host = lower ? named : named.lowercased()
        captureInputs.insert(event.location.input)
        let key = host.hasSuffix(".") ? String(host.dropLast()) : host
        // Changed in place in the dictionary: a copy taken out would copy its lists and counts on the first change.
        if let index = records.index(forKey: key) {
            Self.fold(event, into: &records.values[index])
        } else {
            guard records.count < capacity else {
                untracked += 1
                return
            }
            var record = Record(input: event.location.input)
            Self.fold(event, into: &record)
            records[key] = record
        }
    }

    /// Adds what one transaction or summary event says to its name's record.
    private static func fold(_ event: Event, into record: inout Record) {
        let subjects = event.subjects
        // Only a summary spans frames and times (`last_frame`, `last_time`); a transaction is its own.
        let isSummary = event.kind == Self.summaryKind
        if isSummary {
            record.queries += subjects["transactions"].flatMap { Int($0) } ?? 0
            record.answered += subjects["answered"].flatMap { Int($0) } ?? 0
            record.unanswered += subjects["unanswered"].flatMap { Int($0) } ?? 0
            record.positive += subjects["positive"].flatMap { Int($0) } ?? 0
            for pair in (subjects["rcodes"] ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=")
                if parts.count == 2, let count = Int(parts[1]) { record.rcodes[String(parts[0]), default: 0] += count }
            }
            Self.addAnswers(subjects["answers"], to: &record)
        } else {
            record.queries += 1
            let rcode = subjects["rcode"] ?? "none"
            if rcode == "none" {
                record.unanswered += 1
            } else {
                record.answered += 1
                record.rcodes[rcode, default: 0] += 1
                if rcode == "NOERROR", let answers = subjects["answers"], !answers.isEmpty {
                    record.positive += 1
                    Self.addAnswers(answers, to: &record)
                }
            }
        }
        if let ns = subjects[Subjects.Key.nameserver], record.nameservers.count < 8, !record.nameservers.contains(ns) {
            record.nameservers.append(ns)
        }
        if let rtt = subjects["rtt_ms"].flatMap(Double.init) { record.slowestMilliseconds = max(record.slowestMilliseconds, rtt) }
        if let t = event.time.seconds, event.time.clock == .absolute {
            let last = isSummary ? subjects["last_time"].flatMap(Double.init) ?? t : t
            record.firstTime = min(record.firstTime ?? t, t)
            record.lastTime = max(record.lastTime ?? last, last)
        }
        if let frame = event.location.frame {
            let last = isSummary ? subjects["last_frame"].flatMap { Int($0) } ?? frame : frame
            record.firstFrame = min(record.firstFrame ?? frame, frame)
            record.lastFrame = max(record.lastFrame ?? last, last)
        }
    }

    private static func addAnswers(_ answers: String?, to record: inout Record) {
        // A busy name has its four long before its last event: its answers are not split again.
        guard let answers, record.answers.count < 4 else { return }
        for answer in answers.split(separator: ",") {
            guard record.answers.count < 4 else { break }
            let text = String(answer)
            if !record.answers.contains(text) { record.answers.append(text) }
        }
    }

    /// The record for `host` and, merged in, those of its search-list variants
    /// (`host.corp.example`, `host.default.svc.cluster.local`), which a client
    /// tries on the way to the name itself.
    func lookup(_ host: String) -> (exact: Record?, withVariants: Record?) {
        let key = host.lowercased()
        let exact = records[key]
        var merged = exact
        for (name, record) in records where name.hasPrefix(key + ".") {
            guard var total = merged else {
                merged = record
                continue
            }
            total.queries += record.queries
            total.answered += record.answered
            total.unanswered += record.unanswered
            total.firstTime = [total.firstTime, record.firstTime].compactMap { $0 }.min()
            total.lastTime = [total.lastTime, record.lastTime].compactMap { $0 }.max()
            total.firstFrame = [total.firstFrame, record.firstFrame].compactMap { $0 }.min()
            total.lastFrame = [total.lastFrame, record.lastFrame].compactMap { $0 }.max()
            merged = total
        }
        return (exact, merged)
    }
}
