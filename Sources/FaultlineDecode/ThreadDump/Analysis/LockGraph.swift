/// Who holds which lock and who waits for it, in one dump: monitors
/// (`- locked`, minus those released by `wait()`) and ownable synchronizers
/// (`Locked ownable synchronizers`, `jstack -l`) on one side; threads BLOCKED
/// on a monitor, re-locking after `wait()` or parked on a `ReentrantLock` /
/// `ReentrantReadWriteLock` on the other.
public struct LockGraph: Sendable {
    /// Lock → index of the thread holding it.
    public private(set) var owners: [LockRef: Int] = [:]
    /// Lock → indices of the threads waiting to acquire it, in dump order.
    public private(set) var waiters: [LockRef: [Int]] = [:]
    /// Thread index → the lock it waits to acquire.
    public private(set) var awaited: [Int: LockRef] = [:]
    /// Locks in the order their first waiter appears.
    public private(set) var contended: [LockRef] = []

    public init(_ dump: ThreadDump) {
        for (index, thread) in dump.threads.enumerated() {
            for lock in thread.heldMonitors where owners[lock] == nil { owners[lock] = index }
            for lock in thread.ownableSynchronizers where owners[lock] == nil { owners[lock] = index }
        }
        for (index, thread) in dump.threads.enumerated() {
            guard let lock = thread.awaitedLock, owners[lock] != index else { continue }
            awaited[index] = lock
            if waiters[lock] == nil { contended.append(lock) }
            waiters[lock, default: []].append(index)
        }
    }

    /// Every cycle of the wait-for graph (thread → lock → owner → …), each once,
    /// starting from its first thread in dump order.
    /// - Complexity: O(n) in the waiting threads: each thread waits for one lock.
    public func cycles() -> [[Int]] {
        var state: [Int: UInt8] = [:] // 1 on the current path, 2 done
        var found: [[Int]] = []
        for start in awaited.keys.sorted() where state[start] == nil {
            var path: [Int] = []
            var current: Int? = start
            while let node = current {
                if state[node] == 2 { break }
                if state[node] == 1 {
                    if let at = path.firstIndex(of: node) {
                        var cycle = Array(path[at...])
                        if let minimum = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) {
                            cycle = Array(cycle[minimum...] + cycle[..<minimum])
                        }
                        found.append(cycle)
                    }
                    break
                }
                state[node] = 1
                path.append(node)
                current = awaited[node].flatMap { owners[$0] }
            }
            for node in path { state[node] = 2 }
        }
        return found
    }
}
