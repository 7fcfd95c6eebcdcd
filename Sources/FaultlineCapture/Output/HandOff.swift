import CByteScan

/// Hands batches, in order, to a consumer that runs on a thread of its own: the
/// producer goes on with its work while the last batch is consumed (`analyze`
/// tallies a capture while the events it made go through the case's pipeline).
/// At most `depth` batches wait, so memory stays bounded. `finish` waits until
/// every batch is consumed; until then the consumer must not be used elsewhere.
/// When no thread can be started, `send` consumes on the caller's thread.
public final class HandOff<Item: Sendable>: @unchecked Sendable {
    private let queue: BatchQueue<Item>
    private let consume: (Item) -> Void
    private var worker: WorkerThread?

    /// Starts the consuming thread. With `yielding`, it runs ten nice steps below its producer:
    /// work that may lag (it is a batch behind anyway) gives way, on a busy core, to the threads
    /// the producer waits for (`analyze`'s capture reader: both cores busy 80% of the run without, 88–91% with).
    public init(depth: Int = 4, yielding: Bool = false, consume: @escaping (Item) -> Void) {
        queue = BatchQueue(depth: depth)
        self.consume = consume
        let queue = queue
        worker = WorkerThread.start {
            if yielding { fl_lower_thread_priority(10) }
            while let item = queue.take() { consume(item) }
        }
    }

    /// Queues a batch for the consumer (waiting while `depth` batches wait).
    public func send(_ item: Item) {
        if worker == nil {
            consume(item)
        } else {
            queue.put(item)
        }
    }

    /// Waits until every batch sent has been consumed, and ends the thread.
    public func finish() {
        queue.close()
        worker?.join()
        worker = nil
    }

    deinit { finish() }
}
