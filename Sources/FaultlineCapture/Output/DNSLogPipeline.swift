/// Reads, decodes, pairs and prints a capture on two threads, one per core of a small machine,
/// each kept busy: one reads frames through libpcap and takes them apart down to DNS a batch
/// ahead (`PayloadReadAhead`); the calling thread pairs queries with responses and hands over
/// batches of `batchSize` transactions (for NDJSON as flat `DNSLogRecord`s; each response's
/// bytes stay in the reading thread's arena, which the batch holds until it is written, see
/// `KeptReadAheadBatches`). Rendering a batch (decoding each response's records and writing its
/// line) is done by whichever thread would otherwise wait for the other (`RenderPool`), and the
/// calling thread writes the rendered batches out in order. Only batches cross threads, a few at
/// a time each way, so memory stays bounded by the open transactions and the batches in flight.
public enum DNSLogPipeline {
    /// Transactions per batch.
    public static let batchSize = 512
    /// Batches made and not yet written before the pairing thread renders one itself.
    public static let depth = 4

    public static func run(_ reader: DNSCaptureReader, writer: DNSLogWriter) -> DNSCaptureReader.Summary {
        let pool = RenderPool(spares: depth + 2)
        let names = reader.nameReader
        // One renderer per thread: each has its own buffers.
        let mine = BatchRenderer(writer: writer, names: names)
        let theirs = BatchRenderer(writer: writer.sibling(), names: names)
        // Responses stay where the reading thread put them until their records are written.
        let kept = KeptReadAheadBatches()
        var builder = BatchBuilder(pool: pool, renderer: mine, writer: writer, flat: writer.format == .ndjson, kept: kept)
        // The reading thread, when it is `depth` batches ahead: render a batch instead of waiting.
        let readerHelp = { pool.renderOne(with: theirs) }
        // This thread, when no frames are ready: render a batch, and write what is ready.
        let callerHelp = { () -> Bool in
            let helped = pool.renderOne(with: mine)
            pool.writeReady(to: writer)
            return helped
        }
        var summary: DNSCaptureReader.Summary
        if builder.flat {
            // NDJSON goes over as flat records (no reference counting); text keeps the transactions.
            summary = reader.run(transaction: { builder.add($0, $1) }, paired: { builder.add($0, $1, $2, $3, $4) },
                                 usePaired: true, deferResponseRecords: true, readAhead: true,
                                 readerHelp: readerHelp, callerHelp: callerHelp, readAheadBatches: kept)
        } else {
            summary = reader.run(transaction: { builder.add($0, $1) }, paired: { _, _, _, _, _ in }, usePaired: false,
                                 deferResponseRecords: true, readAhead: true, readerHelp: readerHelp, callerHelp: callerHelp,
                                 readAheadBatches: kept)
        }
        builder.finish()
        pool.drain(with: mine, to: writer)
        writer.finish()
        summary.weirds.merge(pool.weirds)
        return summary
    }
}

/// Fills batches on the pairing thread and hands each full one to the pool (moved, so whoever
/// renders it holds the only reference and its in-place work never copies the batch's storage).
struct BatchBuilder {
    let pool: RenderPool
    let renderer: BatchRenderer
    let writer: DNSLogWriter
    /// NDJSON: flat records instead of transactions.
    let flat: Bool
    let kept: KeptReadAheadBatches
    private var batch = TransactionBatch()
    /// The read-ahead arena the current batch's last response pointed into, and its place in `batch.sources`.
    private var sourceArena: ByteArena?
    private var sourceIndex: Int32 = -1

    init(pool: RenderPool, renderer: BatchRenderer, writer: DNSLogWriter, flat: Bool, kept: KeptReadAheadBatches) {
        self.pool = pool
        self.renderer = renderer
        self.writer = writer
        self.flat = flat
        self.kept = kept
    }

    /// Where a response's bytes are for the batch: in the read-ahead arena they lie in, when the
    /// reading thread put them there (not copied), else copied into the batch's own arena.
    @inline(__always)
    private mutating func responseCopy(_ message: DNSMessage) -> ResponseCopy {
        if let arena = kept.arena, let base = arena.bytes.baseAddress, let start = message.bytes.baseAddress,
           start >= base, start + message.bytes.count <= base + arena.count {
            if sourceArena !== arena {
                batch.sources.append(arena)
                sourceIndex = Int32(truncatingIfNeeded: batch.sources.count - 1)
                sourceArena = arena
            }
            let offset = start - base
            return ResponseCopy(source: sourceIndex, start: offset, end: offset + message.bytes.count, question: message.questionPart)
        }
        let start = batch.arena.count
        batch.arena.append(message.bytes)
        return ResponseCopy(source: -1, start: start, end: batch.arena.count, question: message.questionPart)
    }

    /// A transaction and, for a response, where its bytes are.
    mutating func add(_ transaction: DNSTransaction, _ message: DNSMessage?) {
        if let message {
            batch.responses.append(responseCopy(message))
        } else {
            batch.responses.append(ResponseCopy(source: -1, start: 0, end: 0, question: ResponseCopy.noQuestion))
        }
        if flat {
            let record = DNSLogRecord(transaction, arena: batch.arena)
            batch.records.append(record)
        } else {
            batch.transactions.append(transaction)
        }
        handOverIfFull()
    }

    /// A query answered in time (`DNSTransactionTracker.EmitPaired`), as a flat record.
    mutating func add(_ key: DNSTransactionTracker.Key, _ query: borrowing DNSTransactionTracker.PendingQuery,
                      _ name: UnsafeRawBufferPointer?, _ response: DNSTransactionTracker.Answered, _ message: DNSMessage) {
        batch.responses.append(responseCopy(message))
        let record = DNSLogRecord(key, query: query, name: name, response: response, message: message, arena: batch.arena)
        batch.records.append(record)
        handOverIfFull()
    }

    @inline(__always)
    private mutating func handOverIfFull() {
        guard batch.responses.count >= DNSLogPipeline.batchSize else { return }
        var full = pool.spare() ?? TransactionBatch()
        swap(&full, &batch)
        sourceArena = nil
        kept.handOver(into: &full)
        pool.submit(consume full)
        // Too far ahead of the rendering: render (or wait for) the oldest batch, and write.
        pool.catchUp(limit: DNSLogPipeline.depth, with: renderer, to: writer)
    }

    /// Hands over the last, partly filled batch.
    mutating func finish() {
        guard !batch.responses.isEmpty else { return }
        var last = TransactionBatch()
        swap(&last, &batch)
        kept.handOver(into: &last)
        pool.submit(consume last)
    }
}

/// Transactions (or, for NDJSON, their flat records) with copies of their responses' bytes, and
/// once rendered, their lines and what rendering noted.
struct TransactionBatch: Sendable {
    var transactions: [DNSTransaction] = []
    var records: [DNSLogRecord] = []
    /// Each item's response (none: an empty one).
    var responses: [ResponseCopy] = []
    var arena = ByteArena(capacity: DNSLogPipeline.batchSize * 256)
    /// The read-ahead arenas responses point into (`ResponseCopy.source`).
    var sources: [ByteArena] = []
    /// Read-ahead batches to recycle once this batch is written (nothing after it points into them).
    var held: [PayloadReadAhead.Batch] = []
    var readAhead: PayloadReadAhead?
    /// The batch's place in the output (set by `RenderPool.submit`).
    var sequence = 0
    /// The rendered lines.
    var output = ByteArena(capacity: DNSLogPipeline.batchSize * 512)
    /// What decoding the responses' records noted while rendering.
    var weirds = WeirdLog()

    /// Gives the read-ahead batches it held back to the reading thread (once written).
    mutating func releaseHeld() {
        if let readAhead {
            for held in held { readAhead.recycle(held) }
        }
        held.removeAll(keepingCapacity: true)
        sources.removeAll(keepingCapacity: true)
        readAhead = nil
    }

    mutating func removeAll() {
        releaseHeld()
        transactions.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        responses.removeAll(keepingCapacity: true)
        arena.removeAll()
        output.removeAll()
        weirds = WeirdLog()
    }

    init() {
        transactions.reserveCapacity(DNSLogPipeline.batchSize)
        records.reserveCapacity(DNSLogPipeline.batchSize)
        responses.reserveCapacity(DNSLogPipeline.batchSize)
    }
}

/// Where a transaction's response lies — in a read-ahead arena the batch keeps (`source`, an
/// index in `TransactionBatch.sources`) or in the batch's own arena (`source` -1) — and how far
/// the decode made for pairing got through it (so rendering need not walk its questions again).
struct ResponseCopy: Sendable {
    var source: Int32
    var start: Int32
    var count: Int32
    var question: DNSMessage.QuestionPart

    static let noQuestion = DNSMessage.QuestionPart(questionOffset: -1, questionType: 0, questionClass: 0, answerOffset: 0)

    init(source: Int32, start: Int, end: Int, question: DNSMessage.QuestionPart) {
        self.source = source
        self.start = Int32(truncatingIfNeeded: start)
        count = Int32(truncatingIfNeeded: end - start)
        self.question = question
    }

    /// The response's bytes: in `sources[source]`, or in `arena`.
    @inline(__always)
    func bytes(in arena: UnsafeRawBufferPointer, sources: UnsafeBufferPointer<UnsafeRawBufferPointer>) -> UnsafeRawBufferPointer {
        let base = source < 0 ? arena : sources[Int(source)]
        return base.slice(Int(start), Int(start) + Int(count))
    }
}

/// The read-ahead batches whose payloads were paired since the batch being filled was started,
/// and the arena of the one being paired now (`ReadAheadBatchKeeper`). Used on the pairing
/// thread only.
final class KeptReadAheadBatches: ReadAheadBatchKeeper {
    @exclusivity(unchecked) private(set) var arena: ByteArena?
    @exclusivity(unchecked) private var held: [PayloadReadAhead.Batch] = []
    @exclusivity(unchecked) private var readAhead: PayloadReadAhead?

    func starting(_ arena: ByteArena) { self.arena = arena }

    func paired(_ batch: consuming PayloadReadAhead.Batch, from readAhead: PayloadReadAhead) {
        held.append(batch)
        self.readAhead = readAhead
    }

    /// Moves the batches paired so far into `batch`: it is the last that can point into them
    /// (it was being filled when they were done), so they go back once it is written.
    func handOver(into batch: inout TransactionBatch) {
        guard !held.isEmpty else { return }
        batch.held.append(contentsOf: held)
        batch.readAhead = readAhead
        held.removeAll(keepingCapacity: true)
    }
}
