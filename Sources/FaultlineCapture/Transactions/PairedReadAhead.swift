/// A capture read, decoded and paired on a thread of its own, its transactions handed to the
/// caller's thread in batches (`DNSCaptureReader.runPairingAhead`): in the order the pairing
/// settled them, with the ICMP unreachables between them where they came, and each response's
/// bytes copied into the batch's arena so the message lent with a transaction is the one the
/// pairing decoded. The caller does what it does with each transaction (`analyze` tallies it
/// and makes events) while the next batch is read and paired. Only batches cross threads, a few
/// at a time each way, so memory stays bounded.
struct PairedBatch: Sendable {
    /// Transactions (and unreachables) per batch.
    static let size = 512
    /// Batches waiting between the two threads.
    static let depth = 4


    /// A response's bytes in `arena` and what its decode found.
    struct Message: Sendable {
        var start: Int32
        var count: Int32
        var question: DNSMessage.QuestionPart
        var records: DNSMessage.RecordPart
    }

    var transactions: [DNSTransaction] = []
    /// Each transaction's response message in `messages` (-1: none).
    var messageOf: [Int32] = []
    var messages: [Message] = []
    /// ICMP unreachables, each with the number of transactions that came before it.
    var unreachables: [(after: Int32, icmp: ICMPUnreachable)] = []
    let arena = ByteArena(capacity: PairedBatch.size * 256)
    /// The last batch: how the read ended.
    var summary: DNSCaptureReader.Summary?

    init() {
        transactions.reserveCapacity(Self.size)
        messageOf.reserveCapacity(Self.size)
        messages.reserveCapacity(Self.size)
    }

    mutating func reset() {
        transactions.removeAll(keepingCapacity: true)
        messageOf.removeAll(keepingCapacity: true)
        messages.removeAll(keepingCapacity: true)
        unreachables.removeAll(keepingCapacity: true)
        arena.removeAll()
        summary = nil
    }

    var isFull: Bool { transactions.count + unreachables.count >= Self.size }

    mutating func add(_ transaction: DNSTransaction, _ message: DNSMessage?) {
        transactions.append(transaction)
        guard let message else {
            messageOf.append(-1)
            return
        }
        let start = arena.count
        arena.append(message.bytes)
        messageOf.append(Int32(truncatingIfNeeded: messages.count))
        messages.append(Message(start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: message.bytes.count),
                                question: message.questionPart, records: message.recordPart))
    }

    mutating func add(_ icmp: ICMPUnreachable) {
        unreachables.append((Int32(truncatingIfNeeded: transactions.count), icmp))
    }

    /// Hands each transaction and unreachable to the caller's closures in the order they came,
    /// each message lent from the arena for the call.
    func deliver(transaction: DNSTransactionTracker.Emit, unreachable: (ICMPUnreachable) -> Void) {
        let bytes = arena.bytes
        var next = 0
        transactions.withUnsafeBufferPointer { list in
            for i in list.indices {
                while next < unreachables.count, Int(unreachables[next].after) <= i {
                    unreachable(unreachables[next].icmp)
                    next += 1
                }
                let index = messageOf[i]
                if index >= 0 {
                    let part = messages[Int(index)]
                    let start = Int(part.start)
                    transaction(list[i], DNSMessage(header: bytes.slice(start, start + Int(part.count)), part.question, part.records))
                } else {
                    transaction(list[i], nil)
                }
            }
        }
        for rest in unreachables[next...] { unreachable(rest.icmp) }
    }
}

extension DNSCaptureReader {
    /// `run`, with the frames read, decoded and paired on a thread of its own while the caller's
    /// thread gets the transactions (and unreachables), in the same order, a batch behind: for
    /// callers whose own work per transaction is as large as the pairing's (`analyze`). Reads on
    /// this thread alone when no thread can be started.
    public func runPairingAhead(transaction: DNSTransactionTracker.Emit,
                                unreachable: (ICMPUnreachable) -> Void = { _ in }) -> Summary {
        let filled = BatchQueue<PairedBatch>(depth: PairedBatch.depth)
        let emptied = BatchQueue<PairedBatch>(depth: PairedBatch.depth + 2)
        let worker = WorkerThread.start { [self] in
            var batch = PairedBatch()
            func handOver() {
                var full = emptied.poll() ?? PairedBatch()
                full.reset()
                swap(&full, &batch)
                filled.put(full)
            }
            let summary = run(transaction: { t, m in
                batch.add(t, m)
                if batch.isFull { handOver() }
            }, unreachable: { icmp in
                batch.add(icmp)
                if batch.isFull { handOver() }
            })
            var last = PairedBatch()
            swap(&last, &batch)
            last.summary = summary
            filled.put(last)
        }
        guard let worker else { return run(transaction: transaction, unreachable: unreachable) }
        var summary: Summary?
        while summary == nil, let batch = filled.take() {
            batch.deliver(transaction: transaction, unreachable: unreachable)
            summary = batch.summary
            emptied.offer(batch)
        }
        filled.close()
        emptied.close()
        worker.join()
        return summary ?? Summary()
    }
}
