import Foundation

/// A bounded blocking queue between the thread that reads cases and the
/// worker threads that analyse them: `put` waits while it is full, so cases
/// read ahead of the workers are bounded by its depth. Once closed, `take`
/// drains what is left and then answers nil.
final class CaseQueue<Item: Sendable>: @unchecked Sendable {
    private var items: [Item] = []
    private var head = 0
    private var closed = false
    private let depth: Int
    private let condition = NSCondition()

    init(depth: Int) { self.depth = max(1, depth) }

    func put(_ item: Item) {
        condition.lock()
        while items.count - head >= depth { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
