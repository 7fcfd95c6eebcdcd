public import FaultlineCore

/// Watches a capture's transactions and names what went wrong with DNS:
/// a resolver that answers nothing, or that goes silent part-way through,
/// SERVFAIL / REFUSED / NXDOMAIN for a name, answers that come too late, and
/// search-list expansion. Findings are made at the end of the capture from
/// bounded per-resolver and per-name tallies (at most `capacity` names; more
/// are counted, not tracked).
///
/// What is routine is not a failure (`DNSBackground`): mDNS, DNS-SD and LLMNR
/// lookups, an NXDOMAIN no client asked again, answers slower than
/// `slowThreshold` that no client noticed, and — in a capture taken at a server
/// that many clients on the internet ask (`serverSideClients`) — the answers
/// the server gives to their junk names. `judged` says what was judged so.
public struct DNSFindingDetector {
    /// One cause the capture shows, ready to become an event.
    public struct Finding: Sendable {
        public var cause: String
        public var severity: Severity
        public var confidence: Double
        public var host: String
        public var nameserver: String
        /// Extra subjects (`address` for a wildcard answer, `client`).
        public var extra: [String: String] = [:]
        public var frame: Int
        public var time: CaptureTime
        public var text: String
    }

    private struct Resolver {
        var queries = 0
        /// Copies of queries sent again (same connection, id and question) after the client had waited
        /// at least `retryWait` for an answer.
        var retransmissions = 0
        var answered = 0
        var unanswered = 0
        var icmp = 0
        var icmpReasons: [String] = []
        var frames = FirstFrames()
        var firstFrame = Int.max
        var firstTime = CaptureTime(nanoseconds: Int64.max)
        var firstUnansweredTime: CaptureTime?
        /// The first 16 names asked (by index in `tallies`), and how many queries each.
        var names: [(tally: Int, queries: Int)] = []
        var qtypes = QueryTypes()
        /// Distinct client addresses (the first `serverSideClients * 4`).
        var clients: Set<IPAddress> = []
        /// When the last query that was answered was sent.
        var lastAnsweredQuery: CaptureTime?
        /// Unanswered queries sent after the last answered one: how many, and the first few.
        var silentCount = 0
        var silent: [(time: CaptureTime, frame: Int, client: IPAddress)] = []

        /// Counts a query for `tally` (index `n`) in `names`, where the tally remembers its place.
        @inline(__always)
        mutating func countQuery(of tally: inout NameTally, index n: Int) {
            if tally.listed >= 0 {
                names[Int(tally.listed)].queries += 1
            } else if tally.listed == -2 {
                if names.count < 16 {
                    tally.listed = Int16(names.count)
                    names.append((n, 1))
                } else {
                    tally.listed = -1
                }
            }
        }
    }

    private struct NameTally {
        var name: String
        /// The resolver's index in `resolvers` (its text in `resolverTexts`).
        var resolverIndex: Int
        /// Where this name is in its resolver's `names` (-1: not listed, the list was full; -2: not asked yet).
        var listed: Int16 = -2
        var qtypes = QueryTypes()
        var queries = 0
        var answered = 0
        var unanswered = 0
        var positive = 0
        /// By response code (with the EDNS extension).
        var rcodes = CodeCounts()
        var errorFrames = FramesByCode()
        var frames = FirstFrames()
        var firstFrame = Int.max
        var firstTime = CaptureTime(nanoseconds: Int64.max)
        var addresses: [String] = []
        var recentQueries = RecentTimes()
        var slow = 0
        var slowFrames = FirstFrames()
        var slowestRTT: Int64 = 0
        var fastestSlowRTT: Int64 = Int64.max
        var retriedBeforeAnswer = 0
        var late = 0
        var clientGaveUp = 0
        var firstSlowFrame = Int.max
        var firstSlowTime = CaptureTime(nanoseconds: Int64.max)
    }

    private struct AnsweredKey: Hashable {
        var server: Endpoint
        var client: Endpoint
        var id: UInt16

        /// For `answeredRecently`: the fields mixed into one word.
        var mixed: UInt64 {
            var h = client.address.low &* 0x9E37_79B9_7F4A_7C15
            h ^= (client.address.high &+ (UInt64(client.port) << 16 | UInt64(id))) &* 0xC2B2_AE3D_27D4_EB4F
            h ^= (server.address.low ^ (server.address.high >> 1)) &* 0x1656_67B1_9E37_79F9
            h ^= UInt64(server.port) << 40
            h ^= h >> 31
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            return h == 0 ? 1 : h
        }
    }

    /// Answers slower than this (nanoseconds) are late: resolvers and Go's resolver wait 1–5 s.
    public var slowThreshold: Int64 = 1_000_000_000
    /// A capture whose resolvers are asked by at least this many public client addresses (and more
    /// public than private ones) was taken at a server answering the internet: a build's own capture
    /// holds one or a few clients, on private addresses.
    public var serverSideClients = 4
    public let capacity: Int
    /// Per-resolver tallies, in the order first seen, found through `resolverIndex`.
    private var resolvers: [Resolver] = []
    private var resolverEndpoints: [Endpoint] = []
    /// Each resolver as text (`ip:port`), made once.
    private var resolverTexts: [String] = []
    private var resolverIndex: [Endpoint: Int] = [:]
    /// Per-name-and-resolver tallies, in the order first seen.
    private var tallies: NameTable<NameTally>
    /// The last answers' connection and id → the tally they were counted in: one is recorded per
    /// answer, looked up only for an ICMP error quoting an answer.
    private var answeredRecently = RecentKeys<AnsweredKey, Int>(capacity: 4096)
    public private(set) var untracked = 0
    private var lastTime = CaptureTime(nanoseconds: Int64.min)

    public init(capacity: Int = 20_000) {
        self.capacity = capacity
        tallies = NameTable(capacity: capacity)
    }

    private static func append<T: Equatable>(_ value: T, to list: inout [T], limit: Int) {
        if list.count < limit, !list.contains(value) { list.append(value) }
    }

    /// Tallies one transaction; `answers` renders its answers, and is called only while they can
    /// still add an address to the name's few kept ones (most transactions of a busy capture are
    /// tallied without making a string).
    public mutating func observe(_ t: DNSTransaction, answers: () -> [String]) {
        var tally: Int32 = -1
        observe(TransactionFacts(t), key: t.dnsName.map { NameKey(name: $0, server: t.server) }, tally: &tally,
                extras: t, answers: answers)
    }

    /// `observe`, with the transaction's facts taken and its name and resolver already hashed
    /// (`DNSEventBuilder` keys its summaries the same way). `tally` is the name's tally index when
    /// the caller remembers it from an earlier call (-1 when not): looked up and set when not.
    /// `extras` is the transaction itself when the facts say it has what they do not carry (copies
    /// sent again, an ICMP unreachable); nil for a query answered in time.
    mutating func observe(_ t: TransactionFacts, key: NameKey?, tally: inout Int32, extras: DNSTransaction?, answers: () -> [String]) {
        if t.firstTime > lastTime { lastTime = t.firstTime }
        if t.hasResponse, t.responseTime > lastTime { lastTime = t.responseTime }
        guard !t.multicast, !t.duplicate, let key, !t.isLinkLocal else { return }
        let n: Int
        if tally >= 0 {
            n = Int(tally)
        } else {
            if let found = tallies.find(key) {
                n = found
            } else {
                guard tallies.count < tallies.capacity else {
                    untracked += 1
                    return
                }
                n = tallies.add(key, NameTally(name: EscapedText.plain(key.name), resolverIndex: resolverSlot(t.server)))
            }
            tally = Int32(truncatingIfNeeded: n)
        }
        let r = tallies.values[n].resolverIndex
        // Changed in place through the arrays (never copied out), so appending to a tally's lists copies nothing.
        Self.count(t, extras: extras, in: &tallies.values[n], index: n, at: &resolvers[r], slowThreshold: slowThreshold)
        guard t.hasResponse else { return }
        if t.rcode == 0, t.answerCount > 0 {
            // A name's addresses across resolvers hold at least those of each tally: once the tally
            // has its four, nothing new can be kept, so nothing is rendered.
            if tallies.values[n].addresses.count < 4 {
                let rendered = answers()
                if !rendered.isEmpty {
                    tallies.values[n].positive += 1
                    for answer in rendered { Self.append(answer, to: &tallies.values[n].addresses, limit: 4) }
                }
            } else {
                tallies.values[n].positive += 1
            }
        }
        if t.hasQuery {
            let answeredKey = AnsweredKey(server: t.server, client: t.client, id: t.id)
            answeredRecently.record(answeredKey, hash: answeredKey.mixed, value: n)
        }
    }

    /// A tally's name and resolver as text (`tally` from `observe`; nil for -1).
    func texts(ofTally tally: Int32) -> (host: String, server: String)? {
        guard tally >= 0 else { return nil }
        return tallies.values.withUnsafeBufferPointer { values in
            (values[Int(tally)].name, resolverTexts[values[Int(tally)].resolverIndex])
        }
    }

    /// The index of `server`'s tallies in `resolvers`, made when it is new.
    private mutating func resolverSlot(_ server: Endpoint) -> Int {
        if let found = resolverIndex[server] { return found }
        resolvers.append(Resolver())
        resolverEndpoints.append(server)
        resolverTexts.append(server.description)
        resolverIndex[server] = resolvers.count - 1
        return resolvers.count - 1
    }

    /// Counts one transaction in its name's tally and its resolver's.
    private static func count(_ t: TransactionFacts, extras: DNSTransaction?, in tally: inout NameTally, index n: Int,
                              at resolver: inout Resolver, slowThreshold: Int64) {
        let frame = t.firstFrame
        if let qtype = t.qtype {
            // Looked at before the lists are changed in place (most transactions add nothing).
            tally.qtypes.add(qtype)
            resolver.qtypes.add(qtype)
        }
        if t.hasQuery {
            if resolver.clients.count < 32 { resolver.clients.insert(t.client.address) }
            if t.hasResponse {
                if resolver.lastAnsweredQuery.map({ t.queryTime > $0 }) ?? true {
                    resolver.lastAnsweredQuery = t.queryTime
                    // Unanswered queries sent before this answered one were not a silence.
                    if !resolver.silent.isEmpty { resolver.silent.removeAll { $0.time < t.queryTime } }
                    resolver.silentCount = resolver.silent.count
                }
            } else if resolver.lastAnsweredQuery.map({ t.queryTime > $0 }) ?? true {
                resolver.silentCount += 1
                if resolver.silent.count < 64 { resolver.silent.append((t.queryTime, t.queryFrame, t.client.address)) }
            }
            tally.queries += 1
            resolver.queries += 1
            // A copy sent at once (a TCP segment again, a capture's own duplicate) is not a client that waited.
            if t.queryLastTime - t.queryTime >= Self.retryWait { resolver.retransmissions += t.retransmissions }
            resolver.countQuery(of: &tally, index: n)
        }
        if frame < tally.firstFrame {
            tally.firstFrame = frame
            tally.firstTime = t.firstTime
        }
        if frame < resolver.firstFrame {
            resolver.firstFrame = frame
            resolver.firstTime = t.firstTime
        }
        tally.frames.add(frame)
        resolver.frames.add(frame)
        if t.hasQuery {
            if t.retransmissions > 0, let copies = extras?.query?.retransmissionFrames {
                for f in copies { tally.frames.add(f) }
                for f in copies { resolver.frames.add(f) }
            }
            tally.recentQueries.add(t.queryTime)
        }
        if t.hasResponse {
            tally.frames.add(t.responseFrame)
            tally.answered += 1
            resolver.answered += 1
            tally.rcodes.add(t.rcode)
            if t.rcode != 0 {
                if t.hasQuery {
                    tally.errorFrames.add(t.rcode, t.queryFrame, t.responseFrame)
                } else {
                    tally.errorFrames.add(t.rcode, t.responseFrame, nil)
                }
            }
            if t.hasQuery {
                let rtt = t.responseTime - t.queryTime
                let retried = t.retransmissions > 0 || tally.recentQueries.contains(after: t.queryTime, before: t.responseTime)
                if rtt >= slowThreshold || retried || t.late {
                    tally.slow += 1
                    tally.slowFrames.add(t.queryFrame, t.responseFrame)
                    tally.slowestRTT = max(tally.slowestRTT, rtt)
                    tally.fastestSlowRTT = min(tally.fastestSlowRTT, rtt)
                    if retried { tally.retriedBeforeAnswer += 1 }
                    if t.late { tally.late += 1 }
                    if t.queryFrame < tally.firstSlowFrame {
                        tally.firstSlowFrame = t.queryFrame
                        tally.firstSlowTime = t.queryTime
                    }
                }
            }
        } else if t.hasQuery {
            tally.unanswered += 1
            resolver.unanswered += 1
            if resolver.firstUnansweredTime == nil { resolver.firstUnansweredTime = t.queryLastTime }
            if t.hasExtras, let icmp = extras?.unreachable {
                resolver.icmp += 1
                Self.append(icmp.reason, to: &resolver.icmpReasons, limit: 4)
                resolver.frames.add(icmp.frame)
            }
        }
    }

    /// Tallies an ICMP unreachable: a closed client port for an answer means the client had given up.
    public mutating func observe(_ icmp: ICMPUnreachable) {
        if icmp.time > lastTime { lastTime = icmp.time }
        guard icmp.quotedResponse == true, let id = icmp.dnsID else { return }
        let key = AnsweredKey(server: icmp.source, client: icmp.destination, id: id)
        guard let n = answeredRecently.find(key, hash: key.mixed) else { return }
        tallies.values[n].clientGaveUp += 1
        tallies.values[n].slowFrames.add(icmp.frame)
    }

    /// The findings, strongest first.
    public func findings() -> [Finding] { judged().findings }

    /// The findings, strongest first, and what was judged routine rather than a failure (one sentence each).
    public func judged() -> (findings: [Finding], notes: [String]) {
        var findings: [Finding] = []
        var notes: [String] = []
        // A server the internet asks: a resolver asked by `serverSideClients` public clients, or every
        // resolver of a capture whose public clients far outnumber the servers they ask.
        let clients = resolvers.reduce(into: Set<IPAddress>()) { $0.formUnion($1.clients) }
        let publicClients = clients.filter(\.isPublic).count
        let servers = Set(resolverEndpoints.map(\.address)).count
        let wholeCapture = publicClients >= serverSideClients && publicClients > 2 * servers
        let serverEnds = zip(resolverEndpoints, resolvers)
            .filter { wholeCapture || $0.1.clients.filter(\.isPublic).count >= serverSideClients }.map(\.0)
        let serverSide = Set(serverEnds.map(\.description))
        if !serverEnds.isEmpty {
            let named = serverEnds.prefix(3).map(\.description).joined(separator: ", ") + (serverEnds.count > 3 ? ", …" : "")
            var note = "this looks like a server-side capture: \(publicClients >= 32 ? "32 or more" : String(publicClients)) clients on the"
            note += " internet asked \(named); \(serverEnds.count == 1 ? "its" : "their") NXDOMAIN, SERVFAIL and REFUSED answers"
            note += " are judged background, not a failure"
            if serverEnds.allSatisfy({ resolvers[resolverIndex[$0] ?? 0].answered == 0 }) {
                note += ", and with no answer in the capture, only the queries' direction was captured"
            }
            notes.append(note)
        }
        let silent = silentResolvers()
        // The tallies by first frame, as indices: the tallies themselves are never copied to be sorted.
        let order = tallies.values.withUnsafeBufferPointer { values in
            values.indices.sorted { values[$0].firstFrame < values[$1].firstFrame }
        }
        // Read through buffers, field by field: a tally read whole through the array would be copied,
        // retaining every list it holds, for each field.
        let names = tallies.values.withUnsafeBufferPointer { values in values.indices.map { values[$0].name } }
        // The names as one byte table: each name's bases are looked up by their bytes, no string made.
        let known = KnownNames(names)
        // A name answered with addresses at any resolver: one of its tallies counted a positive answer.
        let resolved = tallies.values.withUnsafeBufferPointer { values in
            var byText = [Bool](repeating: false, count: values.count)
            for index in values.indices where values[index].positive > 0 { byText[known.firstSame(index)] = true }
            return values.indices.map { byText[known.firstSame($0)] }
        }
        // NXDOMAIN for the tries of a search-list walk that ended in an answer (how search lists work):
        // found on a thread of its own while this one splits the names (both only read the tallies).
        let walkNames = tallies.values.withUnsafeBufferPointer { values in
            values.indices.map { index in
                SearchWalk.Name(name: names[index], firstFrame: values[index].firstFrame, firstTime: values[index].firstTime,
                                resolved: resolved[index])
            }
        }
        let nxdomain = tallies.values.withUnsafeBufferPointer { values in values.indices.map { values[$0].rcodes[3] > 0 } }
        let walksFound = WalksFound()
        let walker = WorkerThread.start { walksFound.tries = SearchWalk.tries(walkNames, failed: { nxdomain[$0] }) }
        // Search-list expansions: variant → base (tally indices); a variant's text is one at every resolver.
        var variantsByBase: [String: [Int]] = [:]
        var isVariant = [Bool](repeating: false, count: names.count)
        for index in names.indices {
            known.withName(index) { name in
                guard let baseEnd = SearchSuffix.split(name, isKnown: { known.contains($0) }) else { return }
                variantsByBase[String(decoding: UnsafeRawBufferPointer(rebasing: name[..<baseEnd]), as: UTF8.self), default: []]
                    .append(index)
                isVariant[index] = true
            }
        }
        findings += unreachableFindings(serverSide: serverSide)
        findings += silent.map(\.finding)
        walker?.join()
        let walks = walker == nil ? SearchWalk.tries(walkNames, failed: { nxdomain[$0] }) : walksFound.tries
        var walked: [String] = []
        for (index, answered) in walks.sorted(by: { tallies.values[$0.key].firstFrame < tallies.values[$1.key].firstFrame })
            where walked.count < 3 {
            walked.append("\(tallies.values[index].name) → \(answered)")
        }
        if !walks.isEmpty {
            notes.append("NXDOMAIN for \(walks.count) search-list tr\(walks.count == 1 ? "y" : "ies") on the way to a name that answered ("
                         + walked.joined(separator: ", ") + (walks.count > 3 ? ", …" : "") + ") is judged background, not a failure")
        }
        // A walk's try, by its text: the name is a try at every resolver.
        var isWalkTry = [Bool](repeating: false, count: names.count)
        for index in walks.keys { for same in known.same(as: index) { isWalkTry[same] = true } }
        let serverSideResolver = resolverTexts.map { serverSide.contains($0) }
        let resolverOf = tallies.values.withUnsafeBufferPointer { values in values.indices.map { values[$0].resolverIndex } }
        var background: [String] = []
        for index in order where !isVariant[index] {
            if serverSideResolver[resolverOf[index]] || isWalkTry[index] { continue }
            let (found, routine) = rcodeFindings(index, resolvedAnywhere: resolved[index])
            findings += found
            if routine, background.count < 5 { background.append(names[index]) }
        }
        if !background.isEmpty {
            notes.append("NXDOMAIN for names no client asked again (\(background.joined(separator: ", "))) is judged background, not a failure")
        }
        let silentServers = Set(silent.map(\.finding.nameserver))
        // Search-list tries sent to a resolver that had gone silent are that silence, not a search-list problem.
        findings += expansionFindings(variantsByBase, known: known).filter { !(silentServers.contains($0.nameserver) && $0.extra.isEmpty) }
        let (slow, unnoticed) = slowFindings(order)
        if !unnoticed.isEmpty {
            notes.append("answers slower than \(DNSTransactionText.milliseconds(slowThreshold)) that no client noticed (no retry, no"
                         + " closed port) are judged background, not a failure: \(unnoticed.prefix(5).joined(separator: ", "))")
        }
        let others = !findings.isEmpty
        findings += slow.map { finding in
            var f = finding
            if others { f.severity = .warning }
            return f
        }
        // At most `perCause` findings of each cause: a capture of a whole network can hold thousands of failing names.
        var kept: [String: Int] = [:]
        let sorted = findings.sorted { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.frame < $1.frame }
            .filter { finding in
                kept[finding.cause, default: 0] += 1
                return kept[finding.cause, default: 0] <= perCause
            }
        return (sorted, notes)
    }

    /// Resolvers that answered, then answered nothing from some query on to the end of the capture
    /// (at least three queries, or two a second apart): from when, for which clients.
    private func silentResolvers() -> [(server: Endpoint, finding: Finding)] {
        var out: [(Endpoint, Finding)] = []
        for (endpoint, resolver) in zip(resolverEndpoints, resolvers) where resolver.answered > 0 && resolver.silentCount > 0 {
            guard let first = resolver.silent.min(by: { $0.time < $1.time }), let last = resolver.silent.max(by: { $0.time < $1.time })
            else { continue }
            guard resolver.silentCount >= 3 || last.time - first.time >= 1_000_000_000 else { continue }
            var clients: [String] = []
            for entry in resolver.silent.sorted(by: { $0.time < $1.time }) where clients.count < 4 {
                let text = entry.client.description
                if !clients.contains(text) { clients.append(text) }
            }
            let names = resolver.names.map { tallies.values[$0.tally] }.filter { $0.unanswered > 0 }.sorted { $0.firstFrame < $1.firstFrame }
            // The name most asked in the silence (the bare name, over its search-list tries).
            let host = names.max { ($0.unanswered, -$0.name.count) < ($1.unanswered, -$1.name.count) }?.name ?? ""
            var text = "\(endpoint) answered \(resolver.answered) quer\(resolver.answered == 1 ? "y" : "ies"), then went silent:"
            text += " none of the \(resolver.silentCount) queries from \(clients.joined(separator: ", ")) since frame \(first.frame)"
            text += " (\(first.time.text(digits: 6))) was answered"
            if !names.isEmpty { text += ", for \(names.prefix(3).map(\.name).joined(separator: ", "))\(names.count > 3 ? ", …" : "")" }
            text += " (\(FrameList.text(resolver.silent.map(\.frame))))"
            let confidence = resolver.silentCount >= 4 || last.time - first.time >= 2_000_000_000 ? 0.85 : 0.7
            out.append((endpoint, Finding(cause: "dns_server_unreachable", severity: .error, confidence: confidence, host: host,
                                          nameserver: endpoint.description,
                                          extra: ["client": clients.joined(separator: ", "), "silent_since": "frame \(first.frame)"],
                                          frame: first.frame, time: first.time, text: text)))
        }
        return out
    }

    /// Findings kept per cause.
    public var perCause = 20

    /// How long a client must have waited before sending a query again for the copy to count as a
    /// retry (nanoseconds): stub resolvers wait a second or more (`options timeout:`, at least 1).
    static let retryWait: Int64 = 500_000_000

    private static func list(_ items: [String]) -> String { items.joined(separator: ", ") }

    private static func types(_ qtypes: QueryTypes) -> String { list(qtypes.list.map(DNSNames.type)) }

    private func unreachableFindings(serverSide: Set<String>) -> [Finding] {
        var out: [Finding] = []
        for (endpoint, resolver) in zip(resolverEndpoints, resolvers).sorted(by: { $0.1.firstFrame < $1.1.firstFrame }) {
            let server = endpoint.description
            // A server asked by many clients and never heard answering: most likely a capture of the queries' direction only.
            if serverSide.contains(server), resolver.icmp == 0 { continue }
            let queried = resolver.names.map { (name: tallies.values[$0.tally].name, count: $0.queries) }
            // Two queries, or one the client sent again, or one an ICMP error came back for: a resolver
            // that answers nothing (a lone query may just have been cut off by the end of the capture).
            guard resolver.queries + resolver.retransmissions >= 2 || resolver.icmp > 0, resolver.queries > 0,
                  resolver.answered == 0, resolver.unanswered == resolver.queries else { continue }
            let host = queried.max { $0.count != $1.count ? $0.count < $1.count : $0.name > $1.name }?.name ?? ""
            let names = queried.map(\.name).sorted()
            var text = "\(resolver.queries) quer\(resolver.queries == 1 ? "y" : "ies") to \(server) for \(names.prefix(3).joined(separator: ", "))"
            if names.count > 3 { text += " and \(names.count - 3) more names" }
            text += " (\(Self.types(resolver.qtypes)))"
            if resolver.retransmissions > 0 {
                text += ", sent again \(resolver.retransmissions) time\(resolver.retransmissions == 1 ? "" : "s")"
            }
            text += ", none answered"
            var confidence = 0.6
            let waited = resolver.firstUnansweredTime.map { lastTime - $0 } ?? 0
            if waited >= 1_000_000_000 || resolver.queries >= 4 {
                confidence = 0.9
            } else if resolver.retransmissions > 0 {
                // The client waited for an answer, gave up on it and asked again: still nothing.
                confidence = 0.85
            }
            if resolver.icmp > 0 {
                text += "; \(resolver.icmp) ICMP \(Self.list(resolver.icmpReasons))"
                confidence = 0.95
            }
            text += " (\(FrameList.text(resolver.frames.list)))"
            out.append(Finding(cause: "dns_server_unreachable", severity: .error, confidence: confidence, host: host,
                               nameserver: server, frame: resolver.firstFrame, time: resolver.firstTime, text: text))
        }
        return out
    }

    /// The name's error answers as findings, and whether an NXDOMAIN was judged routine instead.
    private func rcodeFindings(_ index: Int, resolvedAnywhere: Bool) -> (findings: [Finding], routine: Bool) {
        var out: [Finding] = []
        var routine = false
        // Most names have no error answer: looked at in place before anything is copied.
        let failed = tallies.values.withUnsafeBufferPointer { values in
            values[index].positive == 0 && (values[index].rcodes[2] > 0 || values[index].rcodes[5] > 0 || values[index].rcodes[3] > 0)
        }
        guard failed else { return ([], false) }
        let tally = tallies.values[index]
        for (code, cause) in [(UInt16(2), "dns_servfail"), (5, "dns_refused"), (3, "dns_nxdomain")] {
            let count = tally.rcodes[code]
            guard count > 0, tally.positive == 0, !resolvedAnywhere else { continue }
            // An NXDOMAIN no client asked again (one answer, one question), or a routine local-network name, is background.
            if code == 3, count < 2 || DNSBackground.isRoutineName(tallies.keys[index].name) {
                routine = true
                continue
            }
            let rcode = DNSNames.rcode(code)
            let frames = tally.errorFrames[code] ?? tally.frames.list
            var text = "\(server(tally)) answered \(rcode) \(count == 1 ? "once" : "\(count) times") for \(tally.name) (\(Self.types(tally.qtypes)))"
            if tally.answered > count {
                let others = tally.rcodes.counted.filter { $0.code != code }.map { (DNSNames.rcode($0.code), $0.count) }.sorted { $0.0 < $1.0 }
                    .map { $0.0 == "NOERROR" ? "NOERROR without an address ×\($0.1)" : "\($0.0) ×\($0.1)" }
                text += "; also \(others.joined(separator: ", "))"
            }
            text += " (\(FrameList.text(frames)))"
            let confidence = count >= 2 ? 0.9 : 0.8
            let first = frames.min() ?? tally.firstFrame
            out.append(Finding(cause: cause, severity: .error, confidence: confidence, host: tally.name, nameserver: server(tally),
                               frame: first, time: tally.firstTime, text: text))
        }
        return (out, routine)
    }

    private func server(_ tally: NameTally) -> String { resolverTexts[tally.resolverIndex] }

    private func expansionFindings(_ variantsByBase: [String: [Int]], known: KnownNames) -> [Finding] {
        var out: [Finding] = []
        for (base, variants) in variantsByBase.sorted(by: { $0.key < $1.key }) {
            let sorted = variants.sorted { tallies.values[$0].firstFrame < tallies.values[$1].firstFrame }.map { tallies.values[$0] }
            guard let first = sorted.first else { continue }
            // The tallies of the base asked bare.
            var baseText = base
            let bare = baseText.withUTF8 { known.indices(of: UnsafeRawBufferPointer($0)) }.map { tallies.values[$0] }
            let bareFirst = bare.map(\.firstFrame).min()
            let tried = Array(Set(sorted.map(\.name))).sorted { a, b in
                (sorted.first { $0.name == a }?.firstFrame ?? 0) < (sorted.first { $0.name == b }?.firstFrame ?? 0)
            }
            var frames = sorted.flatMap(\.frames.list)
            frames += bare.flatMap(\.frames.list)
            let wildcard = sorted.first { $0.positive > 0 }
            let unanswered = sorted.reduce(0) { $0 + $1.unanswered }
            let bareResolved = bare.contains { $0.positive > 0 }
            let when = bareFirst == nil ? "instead of the bare name" : (bareFirst ?? 0) > first.firstFrame ? "before the bare name" : "besides the bare name"
            var text = "\(base) was tried as \(tried.prefix(4).joined(separator: ", "))\(tried.count > 4 ? ", …" : "") \(when) (search list)"
            var confidence: Double
            var severity = Severity.error
            var extra: [String: String] = [:]
            if let wildcard {
                let addresses = wildcard.addresses.joined(separator: ", ")
                text += "; \(wildcard.name) answered \(addresses), so the client got \(addresses)"
                text += bareFirst == nil ? " and never asked for \(base) itself" : (bareResolved ? " besides \(base)'s own address" : "")
                confidence = bareFirst == nil ? 0.93 : 0.85
                if let address = wildcard.addresses.first { extra[Subjects.Key.address] = address }
            } else if unanswered > 0 {
                text += "; \(unanswered) of those queries got no answer"
                confidence = 0.6
            } else if bareResolved {
                text += "; each failed quickly and \(base) itself resolved"
                confidence = 0.3
                severity = .warning
            } else {
                text += bareFirst == nil ? "; \(base) itself was never asked" : "; \(base) itself did not resolve either"
                confidence = 0.5
            }
            text += " (\(FrameList.text(frames)))"
            out.append(Finding(cause: "dns_search_expansion", severity: severity, confidence: confidence, host: base,
                               nameserver: server(first), extra: extra, frame: first.firstFrame, time: first.firstTime, text: text))
        }
        return out
    }

    /// Slow answers as findings, and the names whose slow answers no client noticed (under `unnoticedLimit`).
    private func slowFindings(_ order: [Int]) -> (findings: [Finding], unnoticed: [String]) {
        var out: [Finding] = []
        var unnoticed: [String] = []
        for index in order where tallies.values[index].slow > 0 {
            // Read in place first: most slow names no client noticed, and need only their name.
            let unnoticedName: String? = tallies.values.withUnsafeBufferPointer { values in
                let noticed = values[index].clientGaveUp > 0 || values[index].retriedBeforeAnswer > 0 || values[index].late > 0
                return !noticed && values[index].slowestRTT < unnoticedLimit ? values[index].name : nil
            }
            if let unnoticedName {
                unnoticed.append(unnoticedName)
                continue
            }
            let tally = tallies.values[index]
            var text = "\(tally.slow) answer\(tally.slow == 1 ? "" : "s") from \(server(tally)) for \(tally.name) (\(Self.types(tally.qtypes))) came "
            let slowest = DNSTransactionText.milliseconds(tally.slowestRTT)
            let fastest = tally.fastestSlowRTT == Int64.max ? slowest : DNSTransactionText.milliseconds(tally.fastestSlowRTT)
            text += fastest == slowest ? slowest : "\(fastest)–\(slowest)"
            text += " after the query"
            var reasons: [String] = []
            if tally.retriedBeforeAnswer > 0 { reasons.append("the client had already sent the query again") }
            if tally.clientGaveUp > 0 { reasons.append("its port was closed when the answer came (\(tally.clientGaveUp) ICMP port unreachable)") }
            if tally.late > 0 { reasons.append("\(tally.late) came after the query had been given up") }
            if !reasons.isEmpty { text += "; " + reasons.joined(separator: "; ") }
            text += " (\(FrameList.text(tally.slowFrames.list)))"
            let confidence = tally.clientGaveUp > 0 || tally.retriedBeforeAnswer > 0 || tally.late > 0 ? 0.85 : 0.6
            out.append(Finding(cause: "dns_slow", severity: .error, confidence: confidence, host: tally.name, nameserver: server(tally),
                               frame: tally.firstSlowFrame, time: tally.firstSlowTime, text: text))
        }
        return (out, unnoticed)
    }

    /// Slow answers no client noticed are a failure only from this long on (nanoseconds): past the
    /// 5 s resolvers wait, a client would have noticed.
    public var unnoticedLimit: Int64 = 3_000_000_000
}

/// The search-list walks `judged` finds on a thread of its own, read once the thread is joined.
private final class WalksFound: @unchecked Sendable {
    var tries: [Int: String] = [:]
}
