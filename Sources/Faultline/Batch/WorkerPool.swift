import Foundation

/// `count` threads running the same loop (each takes cases from a queue until it closes), joined by `join()`.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var running: Int

    init(count: Int, body: @escaping @Sendable () -> Void) {
        running = count
        for index in 0..<count {
            let thread = Thread { [self] in
                body()
                condition.lock()
                running -= 1
                condition.broadcast()
                condition.unlock()
            }
            thread.name = "faultline-batch-\(index + 1)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Waits until every thread has finished its loop.
    func join() {
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
