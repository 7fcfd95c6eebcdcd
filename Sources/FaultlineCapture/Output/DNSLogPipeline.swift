#if canImport(Glibc)
import Glibc
#endif

/// Reads a capture on the calling thread and prints its records on a second
/// one: the reader hands over batches of a few thousand transactions (each
/// response's bytes copied into the batch), the printer decodes each
/// response's records from its copy and writes it. Only batches cross threads, through
/// a queue of at most `depth` batches, so memory stays bounded.
public enum DNSLogPipeline {
    /// Transactions per batch.
    public static let batchSize = 4096
    /// Batches in flight between the two threads.
    public static let depth = 4

    public static func run(_ reader: DNSCaptureReader, writer: DNSLogWriter) -> DNSCaptureReader.Summary {
        let queue = BatchQueue(depth: depth)
        // Printed batches come back emptied but with their capacity, so no batch is allocated (and
        // its fresh pages zeroed by the kernel) more than `depth + 2` times.
        let recycled = BatchQueue(depth: depth + 2)
        let names = reader.nameReader
        let printerWeirds = WeirdBox()
        let printer = PrinterThread {
            var weirds = WeirdLog()
            while var batch = queue.take() {
                let ranges = batch.ranges
                // In place: an item is never copied out of its batch (the array is swapped out, not copied).
                var records: [DNSLogRecord] = []
                var inPlace: [DNSTransaction] = []
                swap(&records, &batch.records)
                swap(&inPlace, &batch.transactions)
                batch.arena.withUnsafeBytes { arena in
                    records.withUnsafeMutableBufferPointer { records in
                        for index in records.indices {
                            let range = ranges[index]
                            guard range.count > 0 else {
                                writer.write(records[index], arena: arena, nil)
                                continue
                            }
                            // The reader decoded responses only to their question: their records are checked here.
                            let message = DNSMessage(arena.slice(range.lowerBound, range.upperBound), names: names,
                                                     frame: records[index].response?.frame ?? 0, weirds: &weirds)
                            if let message { records[index].response?.rcode = message.rcode }
                            writer.write(records[index], arena: arena, message)
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
                batch.arena.withUnsafeBytes { arena in
                    inPlace.withUnsafeMutableBufferPointer { transactions in
                        for index in transactions.indices {
                            let range = ranges[index]
                            guard range.count > 0 else {
                                writer.write(transactions[index], nil)
                                continue
                            }
                            // The reader decoded responses only to their question: their records are checked here.
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
                swap(&inPlace, &batch.transactions)
                batch.removeAll()
                recycled.offer(batch)
            }
            writer.finish()
            printerWeirds.log = weirds
        }
        var builder = BatchBuilder(queue: queue, recycled: recycled, flat: writer.format == .ndjson)
        var summary: DNSCaptureReader.Summary
        if builder.flat {
            // NDJSON goes over as flat records (no reference counting); text keeps the transactions.
            summary = reader.run(transaction: { builder.add($0, $1) }, paired: { builder.add($0, $1, $2, $3, $4) },
                                 usePaired: true, deferResponseRecords: true)
        } else {
            summary = reader.run(transaction: { builder.add($0, $1) }, deferResponseRecords: true)
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
    let queue: BatchQueue
    let recycled: BatchQueue
    /// NDJSON: flat records instead of transactions.
    let flat: Bool
    private var batch = TransactionBatch()

    init(queue: BatchQueue, recycled: BatchQueue, flat: Bool) {
        self.queue = queue
        self.recycled = recycled
        self.flat = flat
    }

    /// A transaction and, for a response, a copy of its bytes.
    mutating func add(_ transaction: DNSTransaction, _ message: DNSMessage?) {
        let start = batch.arena.count
        if let message { batch.arena.append(contentsOf: message.bytes.bindMemory(to: UInt8.self)) }
        batch.ranges.append(start..<batch.arena.count)
        if flat {
            let record = DNSLogRecord(transaction, arena: &batch.arena)
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
        batch.arena.append(contentsOf: message.bytes.bindMemory(to: UInt8.self))
        batch.ranges.append(start..<batch.arena.count)
        let record = DNSLogRecord(key, query: query, retryOfTruncated: retry, response: response, arena: &batch.arena)
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
    var arena: [UInt8] = []

    mutating func removeAll() {
        transactions.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
    }

    init() {
        transactions.reserveCapacity(DNSLogPipeline.batchSize)
        records.reserveCapacity(DNSLogPipeline.batchSize)
        ranges.reserveCapacity(DNSLogPipeline.batchSize)
        arena.reserveCapacity(DNSLogPipeline.batchSize * 256)
    }
}

/// A bounded blocking queue of batches between one producer and one consumer (pthread mutex and conditions).
final class BatchQueue: @unchecked Sendable {
    private var items: [TransactionBatch] = []
    private var closed = false
    private let depth: Int
    private var mutex = pthread_mutex_t()
    private var notEmpty = pthread_cond_t()
    private var notFull = pthread_cond_t()

    init(depth: Int) {
        self.depth = max(1, depth)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&notEmpty, nil)
        pthread_cond_init(&notFull, nil)
    }

    deinit {
        pthread_mutex_destroy(&mutex)
        pthread_cond_destroy(&notEmpty)
        pthread_cond_destroy(&notFull)
    }

    func put(_ batch: consuming TransactionBatch) {
        pthread_mutex_lock(&mutex)
        while items.count >= depth { pthread_cond_wait(&notFull, &mutex) }
        items.append(batch)
        pthread_cond_signal(&notEmpty)
        pthread_mutex_unlock(&mutex)
    }

    /// Adds a batch unless the queue is full (then it is dropped).
    func offer(_ batch: consuming TransactionBatch) {
        pthread_mutex_lock(&mutex)
        if items.count < depth { items.append(batch) }
        pthread_mutex_unlock(&mutex)
    }

    /// A batch if one is waiting, without blocking.
    func poll() -> TransactionBatch? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return items.isEmpty ? nil : items.removeFirst()
    }

    /// The next batch, nil once the queue is closed and drained.
    func take() -> TransactionBatch? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while items.isEmpty && !closed { pthread_cond_wait(&notEmpty, &mutex) }
        guard !items.isEmpty else { return nil }
        let batch = items.removeFirst()
        pthread_cond_signal(&notFull)
        return batch
    }

    func close() {
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_broadcast(&notEmpty)
        pthread_mutex_unlock(&mutex)
    }
}

/// A POSIX thread running one closure, joined by `join()`.
final class PrinterThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    private var started = false

    init(_ body: @escaping () -> Void) {
        self.body = body
        let box = Unmanaged.passRetained(self).toOpaque()
        started = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let me = Unmanaged<PrinterThread>.fromOpaque(context).takeRetainedValue()
            me.body()
            return nil
        }, box) == 0
        if !started {
            Unmanaged<PrinterThread>.fromOpaque(box).release()
            body()
        }
    }

    func join() {
        if started { pthread_join(thread, nil) }
    }
}
