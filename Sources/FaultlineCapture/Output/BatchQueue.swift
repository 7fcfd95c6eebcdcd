#if canImport(Glibc)
import Glibc
#endif

/// A bounded blocking queue of batches between one producer and one consumer (pthread mutex and conditions).
/// Once closed, `take` drains what is left and then answers nil, and `put` drops its batch.
final class BatchQueue<Item: Sendable>: @unchecked Sendable {
    private var items: [Item] = []
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

    /// Adds a batch, waiting while the queue is full.
    func put(_ batch: consuming Item) { put(batch, whileFull: { false }) }

    /// `put`, but while the queue is full `help` is called (the lock not held) to do other work
    /// instead of waiting; the caller sleeps only when `help` found nothing to do.
    func put(_ batch: consuming Item, whileFull help: () -> Bool) {
        pthread_mutex_lock(&mutex)
        while items.count >= depth && !closed {
            pthread_mutex_unlock(&mutex)
            let helped = help()
            pthread_mutex_lock(&mutex)
            if !helped && items.count >= depth && !closed { pthread_cond_wait(&notFull, &mutex) }
        }
        if !closed { items.append(batch) }
        pthread_cond_signal(&notEmpty)
        pthread_mutex_unlock(&mutex)
    }

    /// Adds a batch unless the queue is full (then it is dropped).
    func offer(_ batch: consuming Item) {
        pthread_mutex_lock(&mutex)
        if items.count < depth { items.append(batch) }
        pthread_mutex_unlock(&mutex)
    }

    /// How many batches wait to be taken (0 once the queue is closed: none will be).
    var waiting: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return closed ? 0 : items.count
    }

    /// A batch if one is waiting, without blocking.
    func poll() -> Item? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return items.isEmpty ? nil : items.removeFirst()
    }

    /// The next batch, nil once the queue is closed and drained.
    func take() -> Item? { take(whileEmpty: { false }) }

    /// `take`, but while the queue is empty `help` is called (the lock not held) to do other work
    /// instead of waiting; the caller sleeps only when `help` found nothing to do.
    func take(whileEmpty help: () -> Bool) -> Item? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while items.isEmpty && !closed {
            pthread_mutex_unlock(&mutex)
            let helped = help()
            pthread_mutex_lock(&mutex)
            if !helped && items.isEmpty && !closed { pthread_cond_wait(&notEmpty, &mutex) }
        }
        guard !items.isEmpty else { return nil }
        let batch = items.removeFirst()
        pthread_cond_signal(&notFull)
        return batch
    }

    func close() {
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_broadcast(&notEmpty)
        pthread_cond_broadcast(&notFull)
        pthread_mutex_unlock(&mutex)
    }
}
