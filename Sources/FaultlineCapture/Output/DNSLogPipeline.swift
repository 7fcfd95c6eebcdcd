/// Reads, decodes, pairs and prints a capture on two threads, one per core of a small machine,
/// each kept busy: one reads frames through libpcap and takes them apart down to DNS a batch
/// ahead (`PayloadReadAhead`); the calling thread pairs queries with responses and hands over
/// batches of a thousand transactions (for NDJSON as flat `DNSLogRecord`s, each response's bytes
/// copied into the batch's arena). Rendering a batch (decoding each response's records from its
/// copy and writing its line) is done by whichever thread would otherwise wait for the other
/// (`RenderPool`), and the calling thread writes the rendered batches out in order.
/// Only batches cross threads, at most `depth` at a time each way, so memory stays bounded by
/// the open transactions and the batches in flight.
public enum DNSLogPipeline {
    /// Transactions per batch.
    public static let batchSize = 1024
    /// Batches made and not yet written before the pairing thread renders one itself.
    public static let depth = 4

    public static func run(_ reader: DNSCaptureReader, writer: DNSLogWriter) -> DNSCaptureReader.Summary {
        let pool = RenderPool(spares: depth + 2)
        let names = reader.nameReader
        // One renderer per thread: each has its own buffers.
        let mine = BatchRenderer(writer: writer, names: names)
        let theirs = BatchRenderer(writer: writer.sibling(), names: names)
        var builder = BatchBuilder(pool: pool, renderer: mine, writer: writer, flat: writer.format == .ndjson)
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
                                 readerHelp: readerHelp, callerHelp: callerHelp)
        } else {
            summary = reader.run(transaction: { builder.add($0, $1) }, paired: { _, _, _, _, _ in }, usePaired: false,
                                 deferResponseRecords: true, readAhead: true, readerHelp: readerHelp, callerHelp: callerHelp)
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
    private var batch = TransactionBatch()

    init(pool: RenderPool, renderer: BatchRenderer, writer: DNSLogWriter, flat: Bool) {
        self.pool = pool
        self.renderer = renderer
        self.writer = writer
        self.flat = flat
    }

    /// A transaction and, for a response, a copy of its bytes.
    mutating func add(_ transaction: DNSTransaction, _ message: DNSMessage?) {
        let start = batch.arena.count
        if let message {
            batch.arena.append(message.bytes)
            batch.responses.append(ResponseCopy(start: start, end: batch.arena.count, question: message.questionPart))
        } else {
            batch.responses.append(ResponseCopy(start: start, end: start, question: ResponseCopy.noQuestion))
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
                      _ name: UnsafeRawBufferPointer?, _ response: DNSResponseSummary, _ message: DNSMessage) {
        let start = batch.arena.count
        batch.arena.append(message.bytes)
        batch.responses.append(ResponseCopy(start: start, end: batch.arena.count, question: message.questionPart))
        let record = DNSLogRecord(key, query: query, name: name, response: response, arena: batch.arena)
        batch.records.append(record)
        handOverIfFull()
    }

    @inline(__always)
    private mutating func handOverIfFull() {
        guard batch.responses.count >= DNSLogPipeline.batchSize else { return }
        var full = pool.spare() ?? TransactionBatch()
        swap(&full, &batch)
        pool.submit(consume full)
        // Too far ahead of the rendering: render (or wait for) the oldest batch, and write.
        pool.catchUp(limit: DNSLogPipeline.depth, with: renderer, to: writer)
    }

    /// Hands over the last, partly filled batch.
    mutating func finish() {
        guard !batch.responses.isEmpty else { return }
        var last = TransactionBatch()
        swap(&last, &batch)
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
    /// The batch's place in the output (set by `RenderPool.submit`).
    var sequence = 0
    /// The rendered lines.
    var output = ByteArena(capacity: DNSLogPipeline.batchSize * 512)
    /// What decoding the responses' records noted while rendering.
    var weirds = WeirdLog()

    mutating func removeAll() {
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

/// Where a transaction's response lies in its batch's arena, and how far the decode made for
/// pairing got through it (so rendering need not walk its questions again).
struct ResponseCopy: Sendable {
    var start: Int32
    var count: Int32
    var question: DNSMessage.QuestionPart

    static let noQuestion = DNSMessage.QuestionPart(questionOffset: -1, questionType: 0, questionClass: 0, answerOffset: 0)

    init(start: Int, end: Int, question: DNSMessage.QuestionPart) {
        self.start = Int32(truncatingIfNeeded: start)
        count = Int32(truncatingIfNeeded: end - start)
        self.question = question
    }

    /// The response's bytes in `arena`.
    @inline(__always)
    func bytes(in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        arena.slice(Int(start), Int(start) + Int(count))
    }
}
