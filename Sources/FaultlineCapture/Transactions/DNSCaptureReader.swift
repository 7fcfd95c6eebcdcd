public import FaultlineCore

/// Reads a packet source to the end and turns its DNS traffic into
/// transactions: frames → IP → UDP/TCP → DNS messages → the tracker.
///
/// One pass, bounded memory (the tracker's open transactions, the fragment
/// and TCP reassembly limits). Malformed input is noted in `weirds` and the
/// read goes on; a capture that cannot be read further ends the read with a
/// diagnostic naming the frame.
public final class DNSCaptureReader {
    public struct Options: Sendable {
        /// How long to wait for an answer before calling a query unanswered.
        public var timeoutSeconds = 5.0
        /// Zeek's `dns_max_compression_chain_depth`.
        public var maxCompressionDepth = 20
        /// Drop packets with a wrong checksum instead of decoding them (as Zeek does without `-C`).
        public var dropBadChecksums = false

        public init(timeoutSeconds: Double = 5.0, maxCompressionDepth: Int = 20, dropBadChecksums: Bool = false) {
            self.timeoutSeconds = timeoutSeconds
            self.maxCompressionDepth = maxCompressionDepth
            self.dropBadChecksums = dropBadChecksums
        }
    }

    /// What a finished read found besides its transactions.
    public struct Summary: Sendable {
        public var frames = 0
        public var dnsMessages = 0
        public var transactions = 0
        public var weirds = WeirdLog()
        /// A capture that could not be read past some frame.
        public var readError: Diagnostic?
        public var timestampDigits = 6
        public var linkType = LinkType.ethernet
    }

    public let source: any PacketSource
    public let options: Options
    /// How many payloads ahead of the one being paired the tracker's memory is prefetched.
    static let prefetchDistance = 4
    private let names: DNSNameReader

    public init(source: any PacketSource, options: Options = Options()) {
        self.source = source
        self.options = options
        var names = DNSNameReader()
        names.maxCompressionDepth = options.maxCompressionDepth
        self.names = names
    }

    /// The name reader the transactions' messages must be rendered with.
    public var nameReader: DNSNameReader { names }

    /// Reads everything. `transaction` gets each transaction as soon as it is
    /// settled, with the response's message (borrowed for the call) when
    /// there is one; `unreachable` gets each ICMP unreachable about DNS.
    ///
    /// With `deferResponseRecords`, responses are decoded only as far as their question here;
    /// the caller decodes their records when it prints them (`DNSLogPipeline` does, on its own
    /// thread, and adds the weirds it finds to the summary).
    public func run(transaction: DNSTransactionTracker.Emit, unreachable: (ICMPUnreachable) -> Void = { _ in },
                    deferResponseRecords: Bool = false) -> Summary {
        run(transaction: transaction, paired: { _, _, _, _, _ in }, usePaired: false, unreachable: unreachable,
            deferResponseRecords: deferResponseRecords)
    }

    /// `run`, with queries answered in time handed to `paired` instead of `transaction` when `usePaired`.
    /// (Not an optional closure: that would be escaping, and cost an allocation per packet.)
    /// With `readAhead`, the frames are read and taken apart down to DNS on a thread of their own
    /// (`PayloadReadAhead`: responses decoded only to their question, as with `deferResponseRecords`);
    /// the pairing, and what is handed out, stay on the caller's thread, in order.
    /// `readerHelp` and `callerHelp` are what the reading thread and the caller's thread do instead
    /// of waiting for each other (`PayloadReadAhead`); each answers whether it found work. With
    /// `readAheadBatches`, each batch of payloads is handed to it once paired, to be recycled when
    /// what was made of it no longer points into it.
    func run(transaction: DNSTransactionTracker.Emit, paired: DNSTransactionTracker.EmitPaired, usePaired: Bool,
             unreachable: (ICMPUnreachable) -> Void = { _ in }, deferResponseRecords: Bool = false,
             readAhead: Bool = false, readerHelp: @escaping () -> Bool = { false }, callerHelp: () -> Bool = { false },
             readAheadBatches: (any ReadAheadBatchKeeper)? = nil) -> Summary {
        // Read ahead, responses are decoded whole on the reading thread unless their records are deferred.
        let aheadDecodesRecords = readAhead && !deferResponseRecords
        var summary = Summary()
        summary.timestampDigits = source.timestampDigits
        summary.linkType = source.linkType
        let linkType = source.linkType
        // A local, not stored properties: a class's stored state is checked for exclusive access on every use.
        var pairing = Pairing(tracker: DNSTransactionTracker(timeoutSeconds: options.timeoutSeconds, names: names), names: names,
                              deferResponseRecords: deferResponseRecords, usePaired: usePaired)
        var decoderWeirds = WeirdLog()
        if readAhead, let ahead = PayloadReadAhead(source, dropBadChecksums: options.dropBadChecksums, names: names,
                                                   decodeRecords: aheadDecodesRecords, help: readerHelp) {
            while let batch = ahead.next(whileWaiting: callerHelp) {
                readAheadBatches?.starting(batch.arena)
                pairing.pair(batch, transaction: transaction, paired: paired, unreachable: unreachable)
                if batch.end {
                    summary.readError = batch.error
                    summary.frames = batch.frames
                    decoderWeirds = batch.weirds
                    // Decoded on the reading thread: its DNS weirds come after the packet decoder's, as below.
                    pairing.dnsWeirds.merge(batch.dnsWeirds)
                    pairing.messages += batch.dnsMessages
                }
                if let keeper = readAheadBatches {
                    keeper.paired(batch, from: ahead)
                } else {
                    ahead.recycle(batch)
                }
            }
        } else {
            var decoder = PacketDecoder()
            decoder.dropBadChecksums = options.dropBadChecksums
            while true {
                var packet: CapturedPacket?
                do {
                    packet = try source.nextPacket()
                } catch {
                    summary.readError = error
                }
                // nil, at the end or at a read error, lets the decoder deliver what it still holds.
                decoder.decode(packet, linkType: linkType, dns: { pairing.dns($0, transaction: transaction, paired: paired) },
                               icmp: { pairing.icmp($0, transaction: transaction, unreachable: unreachable) })
                if packet == nil { break }
            }
            summary.frames = source.framesRead
            decoderWeirds = decoder.weirds
        }
        pairing.finish(transaction: transaction)
        summary.dnsMessages = pairing.messages
        summary.transactions = pairing.transactions
        summary.weirds = decoderWeirds
        summary.weirds.merge(pairing.dnsWeirds)
        return summary
    }
}

/// What `DNSCaptureReader.run` keeps while it pairs: the tracker and the counts. A struct with
/// mutating methods (not local functions capturing variables, which would be boxed and checked
/// for exclusive access at run time on every packet).
struct Pairing {
    var tracker: DNSTransactionTracker
    let names: DNSNameReader
    let deferResponseRecords: Bool
    let usePaired: Bool
    var messages = 0
    var dnsWeirds = WeirdLog()
    var transactions = 0

    init(tracker: DNSTransactionTracker, names: DNSNameReader, deferResponseRecords: Bool, usePaired: Bool) {
        self.tracker = tracker
        self.names = names
        self.deferResponseRecords = deferResponseRecords
        self.usePaired = usePaired
    }

    /// Pairs a read-ahead batch's payloads (and the ICMP unreachables among them) in order;
    /// `starting` is told the index of each payload before it is paired.
    mutating func pair(_ batch: borrowing PayloadReadAhead.Batch, starting: (Int) -> Void = { _ in },
                       transaction: DNSTransactionTracker.Emit, paired: DNSTransactionTracker.EmitPaired,
                       unreachable: (ICMPUnreachable) -> Void) {
        let bytes = batch.arena.bytes
        batch.payloads.withUnsafeBufferPointer { payloads in
            for index in payloads.indices {
                // The table slots of the payload a few ahead are brought in while this one is paired.
                if index + DNSCaptureReader.prefetchDistance < payloads.count {
                    let ahead = payloads[index + DNSCaptureReader.prefetchDistance].keyHash
                    if ahead != 0 { tracker.prefetch(hash: ahead) }
                }
                starting(index)
                let payload = payloads.baseAddress.unsafelyUnwrapped + index
                if payload.pointee.icmp >= 0 {
                    icmp(batch.icmp[Int(payload.pointee.icmp)], transaction: transaction, unreachable: unreachable)
                    continue
                }
                decoded(batch.dns(payload.pointee, in: bytes), batch.message(payload, in: bytes),
                        name: batch.questionName(payload.pointee, in: bytes), original: batch.originalName(payload.pointee, in: bytes),
                        hash: payload.pointee.keyHash, transaction: transaction, paired: paired)
            }
        }
    }

    /// One DNS payload: decoded, then paired.
    @inline(__always)
    mutating func dns(_ payload: DNSPayload, transaction: DNSTransactionTracker.Emit, paired: DNSTransactionTracker.EmitPaired) {
        let light = deferResponseRecords && payload.bytes.count > 2 && payload.bytes[2] & 0x80 != 0
        // Decoded in place into a local (see `DNSMessage.init(header:)`).
        guard DNSMessage.hasHeader(payload.bytes, frame: payload.frame, weirds: &dnsWeirds) else { return }
        var message = DNSMessage(header: payload.bytes)
        message.decode(names: names, frame: payload.frame, weirds: &dnsWeirds, questionOnly: light)
        messages += 1
        guard !message.header.isResponse, let question = message.questionName(names) else {
            decoded(payload, message, name: nil, original: nil, transaction: transaction, paired: paired)
            return
        }
        question.name.withUnsafeBytes { name in
            decoded(payload, message, name: name, original: question.original, transaction: transaction, paired: paired)
        }
    }

    /// One DNS message already decoded (a query's question name too, lent for the call): paired.
    /// `hash` is its transaction key's hash when the reading thread computed it, else 0.
    @inline(__always)
    mutating func decoded(_ payload: DNSPayload, _ message: DNSMessage, name: UnsafeRawBufferPointer?, original: [UInt8]?,
                          hash: UInt64 = 0, transaction: DNSTransactionTracker.Emit, paired: DNSTransactionTracker.EmitPaired) {
        var emitted = 0
        let limit = max(Self.plausibleRTT, tracker.timeout &* 2)
        var implausible: (frame: Int, query: Int, rtt: Int64)?
        if usePaired {
            tracker.message(payload, message, name: name, original: original, hash: hash, emit: { t, m in
                if let rtt = t.rtt, let queryFrame = t.query?.frame, rtt < 0 || rtt > limit {
                    implausible = (payload.frame, queryFrame, rtt)
                    return
                }
                emitted += 1
                transaction(t, m)
            }, paired: { key, query, name, response, m in
                let rtt = response.time.nanoseconds &- query.time.nanoseconds
                if rtt < 0 || rtt > limit {
                    implausible = (response.frame, query.frame, rtt)
                    return
                }
                emitted += 1
                paired(key, query, name, response, m)
            })
        } else {
            tracker.message(payload, message, name: name, original: original, hash: hash) { t, m in
                if let rtt = t.rtt, let queryFrame = t.query?.frame, rtt < 0 || rtt > limit {
                    implausible = (payload.frame, queryFrame, rtt)
                    return
                }
                emitted += 1
                transaction(t, m)
            }
        }
        if let implausible {
            dnsWeirds.note("implausible_time", frame: implausible.frame,
                           detail: "answer \(DNSTransactionText.milliseconds(implausible.rtt)) after its query (frame \(implausible.query)): "
                               + "a timestamp is wrong, so the pair is neither slow nor late")
        }
        transactions += emitted
    }

    /// An answer more than this after its query (or before it) says a timestamp is wrong, not
    /// that the resolver is slow: resolvers give up within 30 s (nanoseconds; at least twice the timeout).
    static let plausibleRTT: Int64 = 60_000_000_000

    /// One ICMP unreachable about DNS.
    mutating func icmp(_ icmp: ICMPUnreachable, transaction: DNSTransactionTracker.Emit, unreachable: (ICMPUnreachable) -> Void) {
        var emitted = 0
        tracker.unreachable(icmp) { t, m in
            emitted += 1
            transaction(t, m)
        }
        transactions += emitted
        unreachable(icmp)
    }

    /// The end of the capture: every query still waiting is unanswered.
    mutating func finish(transaction: DNSTransactionTracker.Emit) {
        var emitted = 0
        tracker.finish { t, m in
            emitted += 1
            transaction(t, m)
        }
        transactions += emitted
    }
}

/// Keeps the read-ahead's batches alive past their pairing, so that what was made of them can
/// point into their bytes instead of copying them (`DNSLogPipeline`'s batch builder).
protocol ReadAheadBatchKeeper: AnyObject {
    /// The arena of the batch whose payloads are paired next (the messages handed out lie in it).
    func starting(_ arena: ByteArena)
    /// The batch is paired; `readAhead.recycle` it once nothing points into it any more.
    func paired(_ batch: consuming PayloadReadAhead.Batch, from readAhead: PayloadReadAhead)
}
