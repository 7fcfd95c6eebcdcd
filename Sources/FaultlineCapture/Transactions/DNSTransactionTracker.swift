import CByteScan

/// Pairs DNS queries with their responses: by connection (client and server
/// ends, transport) and id, as Zeek does. A copy of a pending query (same
/// question) is a retransmission of it; a query not answered within `timeout`
/// of its last copy is given up, and reported unanswered when no answer came
/// one more `timeout` later; an answer in that window makes one record, paired
/// and marked late. A response with no query still pending is reported on its
/// own (a duplicate when its query was already answered); mDNS and LLMNR
/// traffic (`Endpoint.isMulticastResolution(from:)`) is never paired; a UDP answer
/// with TC=1 is linked to the TCP query that retries it.
///
/// Memory is bounded by the transactions open within `timeout` of capture
/// time (and by `maxOpen` whatever the traffic).
public struct DNSTransactionTracker {
    public typealias Emit = (DNSTransaction, DNSMessage?) -> Void
    /// A query answered in time, handed over without building a `DNSTransaction`: the query and
    /// its lower-cased question name are lent from the table (then dropped), so they are never
    /// copied. Only a query with nothing rare about it (see `PendingQuery`) goes this way; the
    /// others go to `Emit`, as transactions. Same order and meaning as `Emit`.
    typealias EmitPaired = (_ key: Key, _ query: borrowing PendingQuery, _ name: UnsafeRawBufferPointer?,
                            _ response: Answered, _ message: DNSMessage) -> Void

    /// Where and when the response of a query answered in time came (`EmitPaired`; its header and
    /// rcode are the message's): plain values, with no `DNSResponseSummary` made and dropped.
    struct Answered {
        var frame: Int
        var time: CaptureTime
    }

    struct Key: Hashable {
        var client: Endpoint
        var server: Endpoint
        var transport: TransportProtocol
        var id: UInt16

        /// The table's hash: the fields mixed into one word (never 0).
        @inline(__always)
        var mixed: UInt64 {
            var h = client.address.low &* 0x9E37_79B9_7F4A_7C15
            h ^= (client.address.high &+ (UInt64(client.port) << 16 | UInt64(id))) &* 0xC2B2_AE3D_27D4_EB4F
            h ^= (server.address.low ^ (server.address.high >> 1)) &* 0x1656_67B1_9E37_79F9
            h ^= UInt64(server.port) << 40 ^ (transport == .tcp ? 1 << 63 : 0)
            h ^= h >> 31
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            return h == 0 ? 1 : h
        }
    }

    private enum State {
        case waiting
        /// Given up, not reported yet: kept one more timeout for a late answer, which makes one record with it.
        case expired
        /// Reported already (an ICMP unreachable came back), kept one more timeout to recognise a late answer.
        case reported
    }

    /// A query as the table keeps it while it waits: plain values, so entries are moved and
    /// copied without reference counting. Its name is in `nameSlots`; what few queries have (a
    /// name too long for a slot, its spelling as sent, the frames of its copies, the truncated
    /// exchange it retries) is kept apart in `rare`, under the same key.
    struct PendingQuery {
        var frame: Int
        var time: CaptureTime
        /// When the query (or its last copy) was sent.
        var lastTime: CaptureTime
        var header: DNSHeader
        var qtype: UInt16
        var qclass: UInt16
        var retransmissions: Int32
        /// The slot of the lower-cased question name; -1 when there is no name in a slot.
        var nameSlot: Int32
        var nameLength: Int16
    }

    private struct Entry {
        var query: PendingQuery
        var state: State
        /// When the entry can be forgotten (or given up, while waiting); also the entry's tag in
        /// the table, which the sweep reads.
        var deadline: CaptureTime
        /// Whether `rare` holds more about this query.
        var hasRare: Bool
    }

    /// What few queries carry, kept beside the table.
    private struct RareParts {
        /// A name longer than a slot.
        var longName: DNSName?
        var originalName: [UInt8]?
        var retransmissionFrames: [Int] = []
        /// The truncated UDP exchange a TCP query retries.
        var retryOfTruncated: (client: Endpoint, server: Endpoint, frame: Int)?
    }

    private struct TruncatedKey: Hashable {
        var client: IPAddress
        var server: IPAddress
        var name: DNSName
        var qtype: UInt16
    }

    /// How long an unanswered query is waited for (nanoseconds); 5 s, the resolvers' own default.
    public var timeout: Int64
    public var maxOpen = 1 << 18
    let names: DNSNameReader

    private var entries = OpenTable<Key, Entry>()
    private var nameSlots = NameSlots()
    private var rare = OpenTable<Key, RareParts>(capacity: 64)
    /// Connections+ids answered within the last timeout, to tell a duplicate answer.
    private var answered = AnsweredCache()
    /// Capture time of the next sweep for queries past their deadline.
    private var nextSweep = CaptureTime(nanoseconds: Int64.min)
    private var truncated: [TruncatedKey: (client: Endpoint, server: Endpoint, frame: Int, time: CaptureTime)] = [:]
    public private(set) var now = CaptureTime(nanoseconds: Int64.min)

    public init(timeoutSeconds: Double = 5, names: DNSNameReader = DNSNameReader()) {
        timeout = Int64(max(0.001, timeoutSeconds) * 1e9)
        self.names = names
    }

    /// Starts bringing in the memory a message with this key hash (`Key.mixed`) will touch, a few
    /// messages before it is paired: its slot in the open table and its set in the answered cache.
    @inline(__always)
    func prefetch(hash: UInt64) {
        entries.prefetch(hash: hash)
        answered.prefetch(hash)
    }

    /// Transactions still open (waiting, or kept to recognise duplicates).
    public var openCount: Int { entries.count }

    /// One decoded message. `name` and `original` are a query's first question name as
    /// `DNSMessage.questionName` decodes it (lower-cased, and the spelling sent when that differs;
    /// nil when there is no question), decoded by the caller on whichever thread decoded the
    /// message and lent for the call. They are not used for a response. `hash` is the key's
    /// `Key.mixed` when the caller has it already (`Key(of:…)`), else 0.
    mutating func message(_ payload: DNSPayload, _ message: DNSMessage, name: UnsafeRawBufferPointer?, original: [UInt8]?,
                          hash: UInt64 = 0, emit: Emit) {
        advance(to: payload.time, emit: emit)
        if message.header.isResponse {
            response(payload, message, hash: hash, emit: emit, paired: { _, _, _, _, _ in }, usePaired: false)
        } else {
            query(payload, message, name: name, original: original, hash: hash, emit: emit)
        }
    }

    /// `message`, with queries answered in time handed to `paired` instead of `emit`.
    mutating func message(_ payload: DNSPayload, _ message: DNSMessage, name: UnsafeRawBufferPointer?, original: [UInt8]?,
                          hash: UInt64 = 0, emit: Emit, paired: EmitPaired) {
        advance(to: payload.time, emit: emit)
        if message.header.isResponse {
            response(payload, message, hash: hash, emit: emit, paired: paired, usePaired: true)
        } else {
            query(payload, message, name: name, original: original, hash: hash, emit: emit)
        }
    }

    private mutating func query(_ payload: DNSPayload, _ message: DNSMessage, name: UnsafeRawBufferPointer?, original: [UInt8]?,
                                hash knownHash: UInt64, emit: Emit) {
        if payload.destination.isMulticastResolution(from: payload.source) {
            let query = DNSQuery(frame: payload.frame, time: payload.time, header: message.header, name: name.map { DNSName($0) },
                                 originalName: original, qtype: message.questionType, qclass: message.questionClass,
                                 lastTime: payload.time)
            var transaction = DNSTransaction(client: payload.source, server: payload.destination, transport: payload.transport,
                                             id: message.header.id, query: query)
            transaction.multicast = true
            emit(transaction, nil)
            return
        }
        let key = Key(client: payload.source, server: payload.destination, transport: payload.transport, id: message.header.id)
        let deadline = CaptureTime(nanoseconds: payload.time.nanoseconds &+ timeout)
        let hash = knownHash != 0 ? knownHash : key.mixed
        if let slot = entries.find(key, hash: hash) {
            let entry = entries.valuePointer(at: slot)
            let overdue = entry.pointee.state == .waiting && payload.time > entry.pointee.deadline
            if entry.pointee.state == .waiting, !overdue, entry.pointee.query.qtype == message.questionType,
               entry.pointee.query.qclass == message.questionClass, sameName(key, entry.pointee, name) {
                // A copy sent again before an answer.
                entry.pointee.query.retransmissions += 1
                entry.pointee.query.lastTime = payload.time
                entry.pointee.deadline = deadline
                entries.setTag(deadline.nanoseconds, at: slot)
                if !entry.pointee.hasRare {
                    rare.insert(key, hash: hash, value: RareParts())
                    entry.pointee.hasRare = true
                }
                if let parts = rare.find(key, hash: hash).map(rare.valuePointer(at:)),
                   parts.pointee.retransmissionFrames.count < 8 {
                    parts.pointee.retransmissionFrames.append(payload.frame)
                }
                return
            }
            let old = entries.take(at: slot)
            // The id was reused for another question: the old one will not be answered now.
            let replaced = old.state != .reported ? transaction(key, old) : nil
            forget(key, old)
            if let replaced { emit(replaced, nil) }
        }
        var retry: (client: Endpoint, server: Endpoint, frame: Int)?
        if payload.transport == .tcp, let name {
            retry = takeTruncated(client: payload.source.address, server: payload.destination.address, name: DNSName(name),
                                  qtype: message.questionType)
        }
        if entries.count >= maxOpen { shed(emit: emit) }
        var entry = Entry(query: PendingQuery(frame: payload.frame, time: payload.time, lastTime: payload.time, header: message.header,
                                              qtype: message.questionType, qclass: message.questionClass, retransmissions: 0,
                                              nameSlot: -1, nameLength: 0),
                          state: .waiting, deadline: deadline, hasRare: false)
        var longName: UnsafeRawBufferPointer?
        if let name {
            if name.count <= DNSName.inlineCapacity {
                entry.query.nameSlot = nameSlots.store(name)
                entry.query.nameLength = Int16(truncatingIfNeeded: name.count)
            } else {
                longName = name
            }
        }
        // Only a query with something rare about it makes its `RareParts` (most never do).
        if longName != nil || original != nil || retry != nil {
            var parts = RareParts()
            parts.longName = longName.map { DNSName($0) }
            parts.originalName = original
            parts.retryOfTruncated = retry
            entry.hasRare = true
            rare.insert(key, hash: hash, value: parts)
        }
        entries.insert(key, hash: hash, value: entry, tag: deadline.nanoseconds)
    }

    /// Whether the entry's question name is `name` (both none counts as the same).
    @inline(__always)
    private func sameName(_ key: Key, _ entry: Entry, _ name: UnsafeRawBufferPointer?) -> Bool {
        if entry.query.nameSlot >= 0 {
            guard let name, name.count == Int(entry.query.nameLength) else { return false }
            return name.elementsEqual(nameSlots.bytes(entry.query.nameSlot, count: name.count))
        }
        let long = rareParts(key, entry)?.longName
        guard let long else { return name == nil }
        guard let name else { return false }
        return long.withUnsafeBytes { $0.elementsEqual(name) }
    }

    /// The entry's question name.
    private func questionName(_ key: Key, _ entry: Entry) -> DNSName? {
        if entry.query.nameSlot >= 0 { return DNSName(nameSlots.bytes(entry.query.nameSlot, count: Int(entry.query.nameLength))) }
        return rareParts(key, entry)?.longName
    }

    /// What `rare` holds about an entry.
    @inline(__always)
    private func rareParts(_ key: Key, _ entry: Entry) -> RareParts? {
        guard entry.hasRare, let slot = rare.find(key, hash: key.mixed) else { return nil }
        return rare.value(at: slot)
    }

    /// Lets go of what an entry taken out of the table held beside it.
    @inline(__always)
    private mutating func forget(_ key: Key, _ entry: Entry) {
        if entry.query.nameSlot >= 0 { nameSlots.release(entry.query.nameSlot) }
        if entry.hasRare, let slot = rare.find(key, hash: key.mixed) { rare.remove(at: slot) }
    }

    private mutating func response(_ payload: DNSPayload, _ message: DNSMessage, hash knownHash: UInt64, emit: Emit, paired: EmitPaired,
                                   usePaired: Bool) {
        @inline(__always) func summary() -> DNSResponseSummary {
            DNSResponseSummary(frame: payload.frame, time: payload.time, header: message.header, rcode: message.rcode,
                               answerCount: message.answersParsed)
        }
        if payload.destination.isMulticastResolution(from: payload.source) {
            var summary = summary()
            summary.questionName = message.questionName(names)?.name
            summary.questionType = message.questionOffset == nil ? nil : message.questionType
            var transaction = DNSTransaction(client: payload.source, server: payload.destination, transport: payload.transport,
                                             id: message.header.id, response: summary)
            transaction.multicast = true
            emit(transaction, message)
            return
        }
        let key = Key(client: payload.destination, server: payload.source, transport: payload.transport, id: message.header.id)
        let hash = knownHash != 0 ? knownHash : key.mixed
        if let index = entries.find(key, hash: hash) {
            let pending = entries.valuePointer(at: index)
            if usePaired, !pending.pointee.hasRare, !(message.header.truncated && payload.transport == .udp),
               pending.pointee.state == .waiting, payload.time <= pending.pointee.deadline {
                // The common case, answered in time: lent to `paired` in place, then dropped.
                let slot = pending.pointee.query.nameSlot
                let name = slot >= 0 ? nameSlots.bytes(slot, count: Int(pending.pointee.query.nameLength)) : nil
                paired(key, pending.pointee.query, name, Answered(frame: payload.frame, time: payload.time), message)
                if slot >= 0 { nameSlots.release(slot) }
                entries.remove(at: index)
                answered.insert(hash, until: payload.time.nanoseconds &+ timeout)
                return
            }
            let summary = summary()
            let entry = entries.take(at: index)
            // A truncated UDP answer: the client should ask again over TCP.
            if message.header.truncated, payload.transport == .udp,
               let name = questionName(key, entry) ?? message.questionName(names)?.name {
                rememberTruncated(key, name: name, qtype: entry.query.qtype, frame: payload.frame, time: payload.time)
            }
            let overdue = entry.state == .waiting && payload.time > entry.deadline
            let late = entry.state != .waiting || overdue
            var transaction = transaction(key, entry)
            forget(key, entry)
            transaction.response = summary
            transaction.late = late
            answered.insert(hash, until: payload.time.nanoseconds &+ timeout)
            emit(transaction, message)
            return
        }
        var summary = summary()
        summary.questionName = message.questionName(names)?.name
        summary.questionType = message.questionOffset == nil ? nil : message.questionType
        // A truncated UDP answer: the client should ask again over TCP.
        if message.header.truncated, payload.transport == .udp, let name = summary.questionName {
            rememberTruncated(key, name: name, qtype: message.questionType, frame: payload.frame, time: payload.time)
        }
        if answered.contains(hash, at: payload.time.nanoseconds) {
            var duplicate = DNSTransaction(client: key.client, server: key.server, transport: key.transport, id: key.id, response: summary)
            duplicate.duplicate = true
            emit(duplicate, message)
            return
        }
        var transaction = DNSTransaction(client: key.client, server: key.server, transport: key.transport, id: key.id, response: summary)
        // A TCP answer whose query was not seen can still be the retry of a truncated UDP answer.
        if payload.transport == .tcp, let name = summary.questionName, let qtype = summary.questionType {
            transaction.retryOfTruncated = takeTruncated(client: key.client.address, server: key.server.address, name: name, qtype: qtype)
        }
        emit(transaction, message)
    }

    private mutating func takeTruncated(client: IPAddress, server: IPAddress, name: DNSName, qtype: UInt16)
        -> (client: Endpoint, server: Endpoint, frame: Int)? {
        guard !truncated.isEmpty,
              let udp = truncated.removeValue(forKey: TruncatedKey(client: client, server: server, name: name, qtype: qtype))
        else { return nil }
        return (udp.client, udp.server, udp.frame)
    }

    /// An ICMP unreachable quoting a query gives that query up at once.
    mutating func unreachable(_ icmp: ICMPUnreachable, emit: Emit) {
        advance(to: icmp.time, emit: emit)
        guard icmp.quotedResponse != true, let id = icmp.dnsID else { return }
        let key = Key(client: icmp.source, server: icmp.destination, transport: .udp, id: id)
        guard let slot = entries.find(key, hash: key.mixed) else { return }
        let entry = entries.valuePointer(at: slot)
        guard entry.pointee.state != .reported else { return }
        var transaction = transaction(key, entry.pointee)
        transaction.unreachable = icmp
        entry.pointee.state = .reported
        entry.pointee.deadline = CaptureTime(nanoseconds: icmp.time.nanoseconds &+ timeout)
        entries.setTag(entry.pointee.deadline.nanoseconds, at: slot)
        emit(transaction, nil)
    }

    private mutating func rememberTruncated(_ key: Key, name: DNSName, qtype: UInt16, frame: Int, time: CaptureTime) {
        if truncated.count >= 4096 {
            let cutoff = time.nanoseconds &- timeout
            truncated = truncated.filter { $0.value.time.nanoseconds > cutoff }
            if truncated.count >= 4096 { truncated.removeAll() }
        }
        truncated[TruncatedKey(client: key.client.address, server: key.server.address, name: name, qtype: qtype)] =
            (key.client, key.server, frame, time)
    }

    /// The transaction of an entry still in the table or just taken out of it (before `forget`).
    private func transaction(_ key: Key, _ entry: Entry) -> DNSTransaction {
        let parts = rareParts(key, entry)
        var query = DNSQuery(frame: entry.query.frame, time: entry.query.time, header: entry.query.header,
                             name: questionName(key, entry), originalName: parts?.originalName, qtype: entry.query.qtype,
                             qclass: entry.query.qclass, lastTime: entry.query.lastTime)
        query.retransmissions = Int(entry.query.retransmissions)
        if let frames = parts?.retransmissionFrames, !frames.isEmpty { query.retransmissionFrames = frames }
        var transaction = DNSTransaction(client: key.client, server: key.server, transport: key.transport, id: key.id, query: query)
        if let retry = parts?.retryOfTruncated { transaction.retryOfTruncated = retry }
        return transaction
    }

    /// Moves capture time forward: queries waited on past their deadline are given up, and
    /// reported unanswered one more timeout later if no late answer came by then. The open
    /// transactions are swept every tenth of the timeout of capture time.
    public mutating func advance(to time: CaptureTime, emit: Emit) {
        if time > now { now = time }
        guard now >= nextSweep else { return }
        nextSweep = CaptureTime(nanoseconds: now.nanoseconds &+ max(timeout / 10, 1_000_000))
        guard !entries.isEmpty else { return }
        // Only the keys are gathered: the queries given up now (kept one more timeout for a late
        // answer), the ones whose late answer never came, to be reported unanswered in the order
        // they were sent, and the ones reported already, to be forgotten (in any order).
        var givenUp: [Key] = []
        var unanswered: [(frame: Int, key: Key)] = []
        var done: [Key] = []
        let now = now
        entries.forEachSlot(taggedAtMost: now.nanoseconds) { slot in
            let entry = entries.valuePointer(at: slot)
            switch entry.pointee.state {
            case .waiting: givenUp.append(entries.key(at: slot))
            case .expired: unanswered.append((entry.pointee.query.frame, entries.key(at: slot)))
            case .reported: done.append(entries.key(at: slot))
            }
        }
        for key in done {
            if let slot = entries.find(key, hash: key.mixed) { forget(key, entries.take(at: slot)) }
        }
        for key in givenUp {
            guard let slot = entries.find(key, hash: key.mixed) else { continue }
            let entry = entries.valuePointer(at: slot)
            entry.pointee.state = .expired
            entry.pointee.deadline = CaptureTime(nanoseconds: entry.pointee.deadline.nanoseconds &+ timeout)
            entries.setTag(entry.pointee.deadline.nanoseconds, at: slot)
        }
        guard !unanswered.isEmpty else { return }
        unanswered.sort { $0.frame < $1.frame }
        for (_, key) in unanswered {
            guard let slot = entries.find(key, hash: key.mixed) else { continue }
            let entry = entries.take(at: slot)
            emit(transaction(key, entry), nil)
            forget(key, entry)
        }
    }

    /// At the end of the capture: every query still waiting is unanswered.
    public mutating func finish(emit: Emit) {
        let waiting = entries.slots.map { (entries.key(at: $0), entries.value(at: $0)) }
            .filter { $0.1.state != .reported }.sorted { $0.1.query.frame < $1.1.query.frame }
        for (key, entry) in waiting { emit(transaction(key, entry), nil) }
        entries.removeAll()
        nameSlots.removeAll()
        rare.removeAll()
        answered = AnsweredCache()
    }

    /// Over `maxOpen`: the oldest half is given up early.
    private mutating func shed(emit: Emit) {
        let all = entries.slots.map { (entries.key(at: $0), entries.value(at: $0)) }
        let oldest = all.sorted { $0.1.query.time < $1.1.query.time }.prefix(all.count / 2)
        for (key, entry) in oldest {
            if entry.state != .reported { emit(transaction(key, entry), nil) }
            if let slot = entries.find(key, hash: key.mixed) { forget(key, entries.take(at: slot)) }
        }
    }
}

extension DNSTransactionTracker.Key {
    /// The key of the transaction a payload belongs to (its response's destination is the
    /// client); nil when it is too short to carry an id.
    @inline(__always)
    init?(of source: Endpoint, _ destination: Endpoint, _ transport: TransportProtocol, message: UnsafeRawBufferPointer) {
        guard message.count >= 3 else { return nil }
        let id = UInt16(message[0]) << 8 | UInt16(message[1])
        let response = message[2] & 0x80 != 0
        self.init(client: response ? destination : source, server: response ? source : destination, transport: transport, id: id)
    }
}

/// Which connection+id pairs were answered lately, to tell a duplicate answer from one whose
/// query was not seen: 4,096 sets of 4 (hash, until) slots, one cache line a set, 256 KiB in
/// all, no clean-up needed (a slot past its time is free, the oldest is replaced first). It
/// remembers the last ~16,000 answers within the timeout, seconds of heavy traffic; duplicates
/// come within milliseconds. An older duplicate is reported as an answer whose query was not seen.
struct AnsweredCache {
    private static let ways = 4
    private static let sets = 1 << 12
    private var slots: [(hash: UInt64, until: Int64)]

    init() {
        slots = [(hash: UInt64, until: Int64)](repeating: (0, Int64.min), count: Self.sets * Self.ways)
    }

    @inline(__always)
    mutating func insert(_ hash: UInt64, until time: Int64) {
        let base = (Int(truncatingIfNeeded: hash >> 20) & (Self.sets - 1)) * Self.ways
        slots.withUnsafeMutableBufferPointer { slots in
            var victim = base
            for way in base..<(base + Self.ways) {
                if slots[way].hash == hash {
                    victim = way
                    break
                }
                if slots[way].until < slots[victim].until { victim = way }
            }
            slots[victim] = (hash, time)
        }
    }

    @inline(__always)
    func prefetch(_ hash: UInt64) {
        let base = (Int(truncatingIfNeeded: hash >> 20) & (Self.sets - 1)) * Self.ways
        slots.withUnsafeBufferPointer { slots in
            if let address = slots.baseAddress { fl_prefetch(address + base) }
        }
    }

    @inline(__always)
    func contains(_ hash: UInt64, at time: Int64) -> Bool {
        let base = (Int(truncatingIfNeeded: hash >> 20) & (Self.sets - 1)) * Self.ways
        for way in base..<(base + Self.ways) where slots[way].hash == hash && slots[way].until >= time { return true }
        return false
    }
}

extension DNSTransaction {
    /// A query answered in time as `DNSTransactionTracker.EmitPaired` lends it, made into a
    /// transaction (for the few a caller needs whole): what `Emit` would have handed over.
    init(paired key: DNSTransactionTracker.Key, _ query: borrowing DNSTransactionTracker.PendingQuery, name: UnsafeRawBufferPointer?,
         _ response: DNSTransactionTracker.Answered, message: DNSMessage) {
        var sent = DNSQuery(frame: query.frame, time: query.time, header: query.header, name: name.map { DNSName($0) },
                            qtype: query.qtype, qclass: query.qclass, lastTime: query.lastTime)
        sent.retransmissions = Int(query.retransmissions)
        self.init(client: key.client, server: key.server, transport: key.transport, id: key.id, query: sent,
                  response: DNSResponseSummary(frame: response.frame, time: response.time, header: message.header, rcode: message.rcode,
                                               answerCount: message.answersParsed))
    }
}
