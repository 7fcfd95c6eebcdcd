#if canImport(Glibc)
import Glibc
#endif

/// The batches of transactions waiting to be rendered, and the rendered ones waiting to be
/// written, shared by the two threads of `DNSLogPipeline`. Either thread renders the oldest
/// waiting batch when it would otherwise wait for the other (so both cores stay busy whatever
/// the split of the work); only the pairing thread writes, in the order the batches were made.
/// Rendered batches are kept for reuse (`spare`), at most `spares` of them.
final class RenderPool: @unchecked Sendable {
    private var waiting: [TransactionBatch] = []
    /// Rendered batches not yet written, in no particular order.
    private var rendered: [TransactionBatch] = []
    private var spares: [TransactionBatch] = []
    private let spareLimit: Int
    private var nextSequence = 0
    private var nextToWrite = 0
    /// Batches taken to be rendered and not yet back.
    private var inFlight = 0
    private var mutex = pthread_mutex_t()
    /// Signalled when a batch comes back rendered.
    private var renderedOne = pthread_cond_t()
    /// What rendering noted, merged in the order the batches were written.
    private(set) var weirds = WeirdLog()

    init(spares: Int) {
        spareLimit = spares
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&renderedOne, nil)
    }

    deinit {
        pthread_mutex_destroy(&mutex)
        pthread_cond_destroy(&renderedOne)
    }

    /// Batches made and not yet written.
    private var backlog: Int { nextSequence - nextToWrite }

    /// A written batch's storage, emptied, for the next one.
    func spare() -> TransactionBatch? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return spares.popLast()
    }

    /// Queues a full batch to be rendered, in order after the ones before.
    func submit(_ batch: consuming TransactionBatch) {
        var batch = batch
        pthread_mutex_lock(&mutex)
        batch.sequence = nextSequence
        nextSequence += 1
        waiting.append(batch)
        pthread_mutex_unlock(&mutex)
    }

    /// Renders the oldest waiting batch with `renderer` (the calling thread's own); false when none waits.
    func renderOne(with renderer: BatchRenderer) -> Bool {
        pthread_mutex_lock(&mutex)
        guard !waiting.isEmpty else {
            pthread_mutex_unlock(&mutex)
            return false
        }
        var batch = waiting.removeFirst()
        inFlight += 1
        pthread_mutex_unlock(&mutex)
        renderer.render(&batch)
        pthread_mutex_lock(&mutex)
        rendered.append(batch)
        inFlight -= 1
        pthread_cond_broadcast(&renderedOne)
        pthread_mutex_unlock(&mutex)
        return true
    }

    /// Writes the rendered batches that come next in order (the pairing thread only).
    func writeReady(to writer: DNSLogWriter) {
        while let batch = takeNextRendered() {
            batch.output.withSink { writer.emit($0.bytes) }
            weirds.merge(batch.weirds)
            recycle(batch)
        }
    }

    /// While `limit` or more batches are made and not written: renders the oldest itself, or,
    /// when the other thread has it, waits for it; and writes what is ready.
    func catchUp(limit: Int, with renderer: BatchRenderer, to writer: DNSLogWriter) {
        writeReady(to: writer)
        while pendingCount() >= limit {
            if !renderOne(with: renderer) { waitForRendered() }
            writeReady(to: writer)
        }
    }

    /// Renders and writes everything left (at the end, once the reading thread has stopped).
    func drain(with renderer: BatchRenderer, to writer: DNSLogWriter) {
        catchUp(limit: 1, with: renderer, to: writer)
    }

    private func pendingCount() -> Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return backlog
    }

    /// Sleeps until a batch in flight comes back (returns at once when none is).
    private func waitForRendered() {
        pthread_mutex_lock(&mutex)
        if inFlight > 0 { pthread_cond_wait(&renderedOne, &mutex) }
        pthread_mutex_unlock(&mutex)
    }

    private func takeNextRendered() -> TransactionBatch? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard let index = rendered.firstIndex(where: { $0.sequence == nextToWrite }) else { return nil }
        nextToWrite += 1
        return rendered.remove(at: index)
    }

    private func recycle(_ batch: consuming TransactionBatch) {
        var batch = batch
        batch.removeAll()
        pthread_mutex_lock(&mutex)
        if spares.count < spareLimit { spares.append(batch) }
        pthread_mutex_unlock(&mutex)
    }
}
