/// Reads, decodes and prints a capture on three threads: one reads frames through
/// libpcap and takes them apart down to DNS a batch ahead (`PayloadReadAhead`); the
/// calling thread decodes the DNS messages and pairs queries with responses, handing over batches of a thousand transactions
/// (for NDJSON as flat `DNSLogRecord`s, each response's bytes copied into the batch's
/// arena); the printer decodes each response's records from its copy and writes it.
/// Only batches cross threads, through queues of at most `depth` batches, so memory
/// stays bounded by the open transactions and the batches in flight.
public enum DNSLogPipeline {
    /// Transactions per batch.
    public static let batchSize = 1024
    /// Batches in flight between the decoding and the printing thread.
    public static let depth = 8

    public static func run(_ reader: DNSCaptureReader, writer: DNSLogWriter) -> DNSCaptureReader.Summary {
        let queue = BatchQueue<TransactionBatch>(depth: depth)
        // Printed batches come back emptied but with their capacity, so no batch is allocated (and
        // its fresh pages zeroed by the kernel) more than `depth + 2` times.
        let recycled = BatchQueue<TransactionBatch>(depth: depth + 2)
        let names = reader.nameReader
        let printerWeirds = WeirdBox()
        let printer = WorkerThread {
            var weirds = WeirdLog()
            // Each response's answer records, as its decode found them (for the writer).
            let kept = UnsafeMutablePointer<DNSRecordHeader>.allocate(capacity: 64)
            defer { kept.deallocate() }
            var answers = DNSRecordHeaderList(base: kept, capacity: 64)
            while var batch = queue.take() {
                let ranges = batch.ranges
                // In place: an item is never copied out of its batch (the array is swapped out, not copied).
                var records: [DNSLogRecord] = []
                var inPlace: [DNSTransaction] = []
                swap(&records, &batch.records)
                swap(&inPlace, &batch.transactions)
                do {
                    let arena = batch.arena.bytes
                    records.withUnsafeMutableBufferPointer { records in
                        for index in records.indices {
                            let range = ranges[index]
                            guard range.count > 0 else {
                                writer.write(records[index], arena: arena, nil)
                                continue
                            }
                            // The reader decoded responses only to their question: their records are checked here.
                            let bytes = arena.slice(range.lowerBound, range.upperBound)
                            let frame = records[index].response?.frame ?? 0
                            guard DNSMessage.hasHeader(bytes, frame: frame, weirds: &weirds) else {
                                writer.write(records[index], arena: arena, nil)
                                continue
                            }
                            var message = DNSMessage(header: bytes)
                            answers.removeAll()
                            message.decode(names: names, frame: frame, weirds: &weirds, answers: &answers)
                            records[index].response?.rcode = message.rcode
                            writer.write(records[index], arena: arena, message, answers: answers.records)
                        }
                    }
                    inPlace.withUnsafeMutableBufferPointer { transactions in
                        for index in transactions.indices {
                            let range = ranges[index]
                            guard range.count > 0 else {
                                writer.write(transactions[index], nil)
                                continue
                            }
                            let message = DNSMessage(arena.slice(range.lowerBound, range.upperBound), names: names,
                                                     frame: transactions[index].response?.frame ?? 0, weirds: &weirds)
                            if let message {
                                transactions[index].response?.rcode = message.rcode
                                transactions[index].response?.answerCount = message.answersParsed
                            }
                            writer.write(transactions[index], message)
                        }
                    }
                }
                swap(&records, &batch.records)
                swap(&inPlace, &batch.transactions)
                batch.removeAll()
                recycled.offer(consume batch)
            }
            writer.finish()
            printerWeirds.log = weirds
        }
        var builder = BatchBuilder(queue: queue, recycled: recycled, flat: writer.format == .ndjson)
        var summary: DNSCaptureReader.Summary
        if builder.flat {
            // NDJSON goes over as flat records (no reference counting); text keeps the transactions.
            summary = reader.run(transaction: { builder.add($0, $1) }, paired: { builder.add($0, $1, $2, $3, $4) },
                                 usePaired: true, deferResponseRecords: true, readAhead: true)
        } else {
            summary = reader.run(transaction: { builder.add($0, $1) }, paired: { _, _, _, _, _ in }, usePaired: false,
                                 deferResponseRecords: true, readAhead: true)
        }
        builder.finish()
        queue.close()
        printer.join()
        summary.weirds.merge(printerWeirds.log)
        return summary
    }
}

/// The weirds the printing thread found, read after it is joined.
final class WeirdBox: @unchecked Sendable {
    var log = WeirdLog()
}

/// Fills batches on the reading thread and hands each full one to the queue (moved, so the
/// printer holds the only reference and its in-place work never copies the batch's storage).
struct BatchBuilder {
    let queue: BatchQueue<TransactionBatch>
    let recycled: BatchQueue<TransactionBatch>
    /// NDJSON: flat records instead of transactions.
    let flat: Bool
    private var batch = TransactionBatch()

    init(queue: BatchQueue<TransactionBatch>, recycled: BatchQueue<TransactionBatch>, flat: Bool) {
        self.queue = queue
        self.recycled = recycled
        self.flat = flat
    }

    /// A transaction and, for a response, a copy of its bytes.
    mutating func add(_ transaction: DNSTransaction, _ message: DNSMessage?) {
        let start = batch.arena.count
        if let message { batch.arena.append(message.bytes) }
        batch.ranges.append(start..<batch.arena.count)
        if flat {
            let record = DNSLogRecord(transaction, arena: batch.arena)
            batch.records.append(record)
        } else {
            batch.transactions.append(transaction)
        }
        handOverIfFull()
    }

    /// A query answered in time (`DNSTransactionTracker.EmitPaired`), as a flat record.
    mutating func add(_ key: DNSTransactionTracker.Key, _ query: borrowing DNSQuery,
                      _ retry: (client: Endpoint, server: Endpoint, frame: Int)?, _ response: DNSResponseSummary,
                      _ message: DNSMessage) {
        let start = batch.arena.count
        batch.arena.append(message.bytes)
        batch.ranges.append(start..<batch.arena.count)
        let record = DNSLogRecord(key, query: query, retryOfTruncated: retry, response: response, arena: batch.arena)
        batch.records.append(record)
        handOverIfFull()
    }

    @inline(__always)
    private mutating func handOverIfFull() {
        guard batch.ranges.count >= DNSLogPipeline.batchSize else { return }
        var full = recycled.poll() ?? TransactionBatch()
        swap(&full, &batch)
        queue.put(consume full)
    }

    /// Hands over the last, partly filled batch.
    mutating func finish() {
        guard !batch.ranges.isEmpty else { return }
        var last = TransactionBatch()
        swap(&last, &batch)
        queue.put(consume last)
    }
}

/// Transactions (or, for NDJSON, their flat records) with copies of their responses' bytes.
struct TransactionBatch: Sendable {
    var transactions: [DNSTransaction] = []
    var records: [DNSLogRecord] = []
    var ranges: [Range<Int>] = []
    var arena = ByteArena(capacity: DNSLogPipeline.batchSize * 256)

    mutating func removeAll() {
        transactions.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        arena.removeAll()
    }

    init() {
        transactions.reserveCapacity(DNSLogPipeline.batchSize)
        records.reserveCapacity(DNSLogPipeline.batchSize)
        ranges.reserveCapacity(DNSLogPipeline.batchSize)
    }
}
