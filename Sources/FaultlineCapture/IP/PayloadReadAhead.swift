import FaultlineCore
#if canImport(Glibc)
import Glibc
#endif

/// A capture taken apart down to DNS on a thread of its own: that thread reads
/// the frames (libpcap, the kernel's copies), runs the `PacketDecoder` over
/// them (link layer, IP, checksums, fragment and TCP reassembly) and decodes
/// each DNS message as far as pairing needs (a query whole, with its question
/// name; a response to its question), handing over batches of DNS payloads
/// (their bytes copied into the batch's arena) and ICMP unreachables, in frame
/// order, while the caller pairs the batch before. A payload too short for a
/// DNS header is noted and not handed over. The decoders' weirds, the message
/// and frame counts and a read error come with the last batch,
/// exactly as a decoder on the caller's thread would have left them. At most
/// `depth` batches wait, so memory stays bounded. (`next` is for the one consuming
/// thread; `recycle` may be called from any, its queue being locked.)
final class PayloadReadAhead: @unchecked Sendable {
    /// Payloads per batch, and the payload bytes a batch holds before it is handed over.
    static let payloadsPerBatch = 512
    static let bytesPerBatch = 1 << 17
    /// Batches waiting between the two threads.
    static let depth = 4
    /// Batches waiting when the pairing reads ahead too (`analyze`): its two threads each do about
    /// half the work, unevenly from batch to batch, so a short queue leaves one waiting while the
    /// other catches up (measured on two cores: 70% of both busy with 4, 85% with 32).
    static let pairingDepth = 32

    /// One DNS payload of a batch (its bytes in the batch's arena, a query's question name after
    /// them), or an ICMP unreachable. Plain values only, so a batch's array is copied and freed
    /// without reference counting.
    struct Payload: Sendable {
        var frame: Int
        var time: CaptureTime
        var source: Endpoint
        var destination: Endpoint
        var transport: TransportProtocol
        var start: Int32
        var count: Int32
        /// The index in `icmp` of the unreachable this stands for; -1 for a DNS payload.
        var icmp: Int32
        /// A query's first question name (`DNSMessage.questionName`), lower-cased, in the arena just
        /// after the message, then the spelling sent when that differs; -1 when there is none.
        var nameCount: Int16 = -1
        var originalCount: Int16 = -1
        /// Where the message's decode (to its question, for a response) found the question.
        var question = DNSMessage.QuestionPart(questionOffset: -1, questionType: 0, questionClass: 0, answerOffset: 0)
        /// The hash of the transaction's key (`DNSTransactionTracker.Key.mixed`), computed here so the
        /// pairing thread can prefetch its table slots a few payloads ahead; 0 when there is none.
        var keyHash: UInt64 = 0
        /// Where in the batch's `records` a response's whole decode (`decodeRecords`) left what it
        /// found past the question; -1 when only its question was decoded, and for a query. (Kept
        /// apart, so the payloads `faultline dns` reads stay as small as they were.)
        var records: Int32 = -1
    }

    /// Payloads and unreachables of consecutive frames; the last batch also tells how the read ended.
    struct Batch: Sendable {
        var payloads: [Payload] = []
        var icmp: [ICMPUnreachable] = []
        /// What responses' whole decodes found past their questions (`Payload.records`).
        var records: [DNSMessage.RecordPart] = []
        let arena = ByteArena(capacity: PayloadReadAhead.bytesPerBatch)
        /// The last batch: the fields below are set.
        var end = false
        var error: Diagnostic?
        var frames = 0
        var weirds = WeirdLog()
        /// What decoding the DNS messages noted, and how many had a header.
        var dnsWeirds = WeirdLog()
        var dnsMessages = 0
        /// When the reading thread pairs too (`BatchPairer`): what the pairing settled, in order.
        var settled = BatchPairer.Settled()
        /// The last batch, paired here: the pairing's own weirds and how many transactions it made.
        var pairingWeirds = WeirdLog()
        var transactionCount = 0

        init() { payloads.reserveCapacity(PayloadReadAhead.payloadsPerBatch) }

        mutating func reset() {
            payloads.removeAll(keepingCapacity: true)
            icmp.removeAll(keepingCapacity: true)
            records.removeAll(keepingCapacity: true)
            arena.removeAll()
            settled.removeAll()
            end = false
        }

        /// The payload's message, lent from the arena.
        @inline(__always)
        func dns(_ payload: Payload, in bytes: UnsafeRawBufferPointer) -> DNSPayload {
            let start = Int(payload.start)
            return DNSPayload(frame: payload.frame, time: payload.time, source: payload.source, destination: payload.destination,
                              transport: payload.transport, bytes: bytes.slice(start, start + Int(payload.count)))
        }

        /// A query's lower-cased question name, lent from the arena; nil when it has none.
        @inline(__always)
        func questionName(_ payload: Payload, in bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
            guard payload.nameCount >= 0 else { return nil }
            let start = Int(payload.start) + Int(payload.count)
            return bytes.slice(start, start + Int(payload.nameCount))
        }

        /// The payload's message as the reading thread decoded it, over the arena's copy of its bytes.
        @inline(__always)
        func message(_ payload: UnsafePointer<Payload>, in bytes: UnsafeRawBufferPointer) -> DNSMessage {
            let start = Int(payload.pointee.start)
            let message = bytes.slice(start, start + Int(payload.pointee.count))
            guard payload.pointee.records >= 0 else { return DNSMessage(header: message, payload.pointee.question) }
            return DNSMessage(header: message, payload.pointee.question, records[Int(payload.pointee.records)])
        }

        /// The question name as sent, when its case differs.
        @inline(__always)
        func originalName(_ payload: Payload, in bytes: UnsafeRawBufferPointer) -> [UInt8]? {
            guard payload.originalCount >= 0 else { return nil }
            let start = Int(payload.start) + Int(payload.count) + Int(payload.nameCount)
            return Array(bytes.slice(start, start + Int(payload.originalCount)).bindMemory(to: UInt8.self))
        }
    }

    private let filled: BatchQueue<Batch>
    /// Room for every batch in circulation, including those a `ReadAheadBatchKeeper` holds until
    /// the records pointing into them are written: a batch dropped here is one allocated again.
    private let emptied: BatchQueue<Batch>
    private var thread: WorkerThread?
    private var ended = false

    /// Starts the reading thread; nil when no thread can be started (the caller then reads on its own).
    /// While the reading thread is ahead (`depth` batches wait, `pairingDepth` with a `pairer`), it calls `help` to do some of the
    /// caller's later work instead of waiting (`DNSLogPipeline` renders a batch of records); `help`
    /// answers whether it found any.
    ///
    /// With `decodeRecords`, responses are decoded whole here (their records checked, their weirds
    /// noted), for a caller that reads their answers on the pairing thread (`analyze`).
    ///
    /// With a `pairer`, each batch is paired here too before it is handed over, what the pairing
    /// settled recorded in it (`Batch.settled`).
    init?(_ source: any PacketSource, dropBadChecksums: Bool, names: DNSNameReader, decodeRecords: Bool = false,
          pairer: BatchPairer? = nil, help: @escaping () -> Bool = { false }) {
        let depth = pairer == nil ? Self.depth : Self.pairingDepth
        let filled = BatchQueue<Batch>(depth: depth)
        let emptied = BatchQueue<Batch>(depth: depth * 6)
        self.filled = filled
        self.emptied = emptied
        let box = SourceBox(source)
        thread = WorkerThread.start {
            // A capture file is read through its own type (direct calls per frame, not a protocol's).
            if let file = box.source as? PcapFile {
                Self.read(file, dropBadChecksums: dropBadChecksums, names: names, decodeRecords: decodeRecords, pairer: pairer,
                          filled: filled, emptied: emptied, help: help)
            } else {
                Self.read(box.source, dropBadChecksums: dropBadChecksums, names: names, decodeRecords: decodeRecords, pairer: pairer,
                          filled: filled, emptied: emptied, help: help)
            }
        }
        if thread == nil { return nil }
    }

    /// The reading thread's work: frames to DNS payloads, a batch at a time, until the capture ends.
    private static func read<Source: PacketSource>(_ source: Source, dropBadChecksums: Bool, names: DNSNameReader,
                                                   decodeRecords: Bool, pairer: BatchPairer?, filled: BatchQueue<Batch>,
                                                   emptied: BatchQueue<Batch>, help: () -> Bool) {
        let linkType = source.linkType
        var decoder = PacketDecoder()
        decoder.dropBadChecksums = dropBadChecksums
        var dnsWeirds = WeirdLog()
        var dnsMessages = 0
        var batch = Batch()
        var ended = false
        while !ended {
            var packet: CapturedPacket?
            do throws(Diagnostic) {
                packet = try source.nextPacket()
            } catch {
                batch.error = error
            }
            // nil, at the end or at a read error, lets the decoder deliver what it still holds.
            ended = packet == nil
            decoder.decode(packet, linkType: linkType, dns: { payload in
                guard DNSMessage.hasHeader(payload.bytes, frame: payload.frame, weirds: &dnsWeirds) else { return }
                var message = DNSMessage(header: payload.bytes)
                let isQuery = !message.header.isResponse
                dnsMessages += 1
                // The batch holds its arena: lent here without a retain and release per packet.
                Unmanaged.passUnretained(batch.arena)._withUnsafeGuaranteedRef { arena in
                    let start = arena.count
                    // The message's bytes go first in the arena, and a query's first question name
                    // right after them, collected there (lower-cased) as the decode walks it.
                    let room = arena.reserve(payload.bytes.count + 64)
                    var collector = RawNameCollector(base: room + payload.bytes.count)
                    // Decoded in place into a local (see `DNSMessage.init(header:)`); a response only to
                    // its question unless `decodeRecords`, a query whole.
                    if isQuery {
                        message.decode(names: names, frame: payload.frame, weirds: &dnsWeirds, firstName: &collector)
                    } else {
                        message.decode(names: names, frame: payload.frame, weirds: &dnsWeirds, questionOnly: !decodeRecords)
                    }
                    arena.append(payload.bytes)
                    let key = DNSTransactionTracker.Key(of: payload.source, payload.destination, payload.transport, message: payload.bytes)
                    var entry = Payload(frame: payload.frame, time: payload.time, source: payload.source,
                                        destination: payload.destination, transport: payload.transport,
                                        start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: payload.bytes.count),
                                        icmp: -1, question: message.questionPart, keyHash: key?.mixed ?? 0,
                                        records: decodeRecords && !isQuery ? Int32(truncatingIfNeeded: batch.records.count) : -1)
                    if decodeRecords, !isQuery { batch.records.append(message.recordPart) }
                    if isQuery, let questionOffset = message.questionOffset {
                        // As `DNSMessage.questionName` gives it: lower-cased, and the spelling sent when that differs.
                        if !collector.tooLong {
                            entry.nameCount = Int16(truncatingIfNeeded: collector.count)
                            arena.commit(collector.count)
                            if collector.sawUppercase, let original = names.text(payload.bytes, at: questionOffset, lowercase: false) {
                                entry.originalCount = Int16(truncatingIfNeeded: original.count)
                                arena.append(original)
                            }
                        } else if let question = message.questionName(names) {
                            entry.nameCount = Int16(truncatingIfNeeded: question.name.count)
                            question.name.withUnsafeBytes { arena.append($0) }
                            if let original = question.original {
                                entry.originalCount = Int16(truncatingIfNeeded: original.count)
                                arena.append(original)
                            }
                        }
                    }
                    batch.payloads.append(entry)
                }
            }, icmp: { unreachable in
                batch.payloads.append(Payload(frame: unreachable.frame, time: unreachable.time, source: unreachable.source,
                                              destination: unreachable.destination, transport: .udp,
                                              start: 0, count: 0, icmp: Int32(truncatingIfNeeded: batch.icmp.count)))
                batch.icmp.append(unreachable)
            })
            if batch.payloads.count >= Self.payloadsPerBatch || batch.arena.count >= Self.bytesPerBatch {
                pairer?.pair(&batch)
                var full = emptied.poll() ?? Batch()
                full.reset()
                swap(&full, &batch)
                filled.put(consume full, whileFull: help)
            }
        }
        batch.end = true
        batch.frames = source.framesRead
        batch.weirds = decoder.weirds
        batch.dnsWeirds = dnsWeirds
        batch.dnsMessages = dnsMessages
        pairer?.pair(&batch)
        pairer?.finish(&batch)
        var last = Batch()
        swap(&last, &batch)
        filled.put(consume last)
        // The capture is read, but the caller still has batches to pair: help it while they last
        // (at the end the caller alone renders what is left).
        while filled.waiting > 0 {
            if !help() { usleep(100) }
        }
    }

    deinit {
        // The caller may stop early: let the reading thread finish and end.
        filled.close()
        emptied.close()
        thread?.join()
    }

    /// The next batch in frame order; nil after the last one (which has `end` set). While none is
    /// ready, `help` is called to do other work instead of waiting (it answers whether it found any).
    func next(whileWaiting help: () -> Bool = { false }) -> Batch? {
        guard !ended, let batch = filled.take(whileEmpty: help) else { return nil }
        if batch.end { ended = true }
        return batch
    }

    /// Gives a batch's storage back for reuse.
    func recycle(_ batch: consuming Batch) {
        emptied.offer(batch)
    }
}

/// The wrapped source, handed to the reading thread (which alone uses it from then on).
private final class SourceBox: @unchecked Sendable {
    let source: any PacketSource
    init(_ source: any PacketSource) { self.source = source }
}
