public import FaultlineDecode

/// The lock owners of one dump with the threads waiting for them, as a tree:
/// a root holds a lock and waits for none; its children wait for a lock it
/// holds, and their own waiters hang below them. A blocking chain (A waits
/// for B, who waits for C, who sleeps) reads from C down.
///
/// Threads in a deadlock cycle have no root and are left to the cycle list.
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
    public init(graph: LockGraph, threads: [JavaThread], describe: (Int) -> String, childLimit: Int = 8) {
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
        var roots: [Node] = []
        for owner in waitersOf.keys.sorted() where graph.awaited[owner].flatMap({ graph.owners[$0] }) == nil {
            var path: Set<Int> = [owner]
            roots.append(node(owner, depth: 0, &path))
        }
        self.roots = roots.sorted { $0.blockedBehind != $1.blockedBehind ? $0.blockedBehind > $1.blockedBehind : $0.thread < $1.thread }
    }
}
