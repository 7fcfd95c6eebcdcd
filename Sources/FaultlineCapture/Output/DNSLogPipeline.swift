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
        var batch = TransactionBatch()
        // NDJSON goes over as flat records (no reference counting); text keeps the transactions.
        let flat = writer.format == .ndjson
        var summary = reader.run(transaction: { transaction, message in
            let start = batch.arena.count
            if let message { batch.arena.append(contentsOf: message.bytes.bindMemory(to: UInt8.self)) }
            batch.ranges.append(start..<batch.arena.count)
            if flat {
                let record = DNSLogRecord(transaction, arena: &batch.arena)
                batch.records.append(record)
            } else {
                batch.transactions.append(transaction)
            }
            if batch.ranges.count >= batchSize {
                queue.put(batch)
                batch = recycled.poll() ?? TransactionBatch()
            }
        }, deferResponseRecords: true)
        if !batch.ranges.isEmpty { queue.put(batch) }
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
        arena.reserveCapacity(DNSLogPipeline.batchSize * 160)
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

    func put(_ batch: TransactionBatch) {
        pthread_mutex_lock(&mutex)
        while items.count >= depth { pthread_cond_wait(&notFull, &mutex) }
        items.append(batch)
        pthread_cond_signal(&notEmpty)
        pthread_mutex_unlock(&mutex)
    }

    /// Adds a batch unless the queue is full (then it is dropped).
    func offer(_ batch: TransactionBatch) {
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
