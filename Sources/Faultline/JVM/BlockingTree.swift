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
        func count(_ index: Int, _ seen: inout Set<Int>) -> Int {
            var total = 0
            for child in waitersOf[index] ?? [] where seen.insert(child).inserted { total += 1 + count(child, &seen) }
            return total
        }
        func node(_ index: Int, depth: Int, _ path: inout Set<Int>) -> Node {
            var seen: Set<Int> = [index]
            let behind = count(index, &seen)
            var children: [Node] = []
            if depth < 6 {
                for child in (waitersOf[index] ?? []).prefix(childLimit) where !path.contains(child) {
                    path.insert(child)
                    children.append(node(child, depth: depth + 1, &path))
                    path.remove(child)
                }
            }
            return Node(thread: threads[index].name, activity: describe(index), awaits: graph.awaited[index]?.description,
                        blockedBehind: behind, children: children)
        }
        // Count first, describe only the roots kept: a large dump has thousands of owners.
        var counted: [(owner: Int, behind: Int)] = []
        for owner in waitersOf.keys where graph.awaited[owner].flatMap({ graph.owners[$0] }) == nil {
            var seen: Set<Int> = [owner]
            counted.append((owner, count(owner, &seen)))
        }
        counted.sort { $0.behind != $1.behind ? $0.behind > $1.behind : threads[$0.owner].name < threads[$1.owner].name }
        roots = counted.prefix(rootLimit).map { root in
            var path: Set<Int> = [root.owner]
            return node(root.owner, depth: 0, &path)
        }
    }
}
