public import FaultlineDecode

/// The lock owners of one dump with the threads waiting for them, as a tree:
/// a root holds a lock and waits for none; its children wait for a lock it
/// holds, and their own waiters hang below them. A blocking chain (A waits
/// for B, who waits for C, who sleeps) reads from C down.
///
/// Threads in a deadlock cycle have no root and are left to the cycle list.
/// The roots with the most threads behind them are kept.
public struct BlockingTree: Sendable {
    /// One thread of the tree.
    public struct Node: Sendable {
        public var thread: String
        /// `TIMED_WAITING, sleeping in java.lang.Thread.sleep(…)`.
        public var activity: String
        /// The lock this thread waits for (nil for a root).
        public var awaits: String?
        /// How many threads wait behind this one, directly or through others.
        public var blockedBehind: Int
        public var children: [Node]
    }

    public var roots: [Node]

    /// - Parameters:
    ///   - describe: a thread's state and activity, by index.
    ///   - childLimit: most children shown per node (the count still includes the rest).
    ///   - rootLimit: most roots kept, those with the most threads behind them.
    public init(graph: LockGraph, threads: [JavaThread], describe: (Int) -> String, childLimit: Int = 8, rootLimit: Int = 32) {
        var waitersOf: [Int: [Int]] = [:]  // owner → threads waiting for a lock it holds
        for lock in graph.contended {
            guard let owner = graph.owners[lock] else { continue }
            waitersOf[owner, default: []].append(contentsOf: graph.waiters[lock] ?? [])
        }
        // A thread waits for one lock, held by one thread: below the roots the waits form trees, so the
        // threads behind each one are counted once, children before parents (no recursion: chains can be long).
        var behind: [Int: Int] = [:]
        func countBehind(_ root: Int) -> Int {
            if let known = behind[root] { return known }
            var order: [Int] = []
            var stack = [root]
            var visited: Set<Int> = [root]
            while let next = stack.popLast() {
                order.append(next)
                for child in waitersOf[next] ?? [] where behind[child] == nil && visited.insert(child).inserted { stack.append(child) }
            }
            for index in order.reversed() {
                behind[index] = (waitersOf[index] ?? []).reduce(0) { $0 + 1 + (behind[$1] ?? 0) }
            }
            return behind[root] ?? 0
        }
        func node(_ index: Int, depth: Int) -> Node {
            var children: [Node] = []
            if depth < 6 {
                for child in (waitersOf[index] ?? []).prefix(childLimit) { children.append(node(child, depth: depth + 1)) }
            }
            return Node(thread: threads[index].name, activity: describe(index), awaits: graph.awaited[index]?.description,
                        blockedBehind: countBehind(index), children: children)
        }
        // Count first, describe only the roots kept: a large dump has thousands of owners.
        var counted: [(owner: Int, behind: Int)] = []
        for owner in waitersOf.keys where graph.awaited[owner].flatMap({ graph.owners[$0] }) == nil {
            counted.append((owner, countBehind(owner)))
        }
        counted.sort { $0.behind != $1.behind ? $0.behind > $1.behind : $0.owner < $1.owner }
        roots = counted.prefix(rootLimit).map { node($0.owner, depth: 0) }
    }
}
