/// Completes a dump from what other lines say about its threads, for pastes
/// that show only part of it: the JVM's deadlock section without the stacks
/// (or with them under `Java stack information for the threads listed
/// above`), `ThreadInfo` headers that name an owner (`owned by "Y"`) whose
/// own stack was cut, a javacore's LOCKS section without its THREADS section.
///
/// A named thread the dump does not show is added with what is known of it;
/// a named owner gets the lock it holds, a named waiter the lock it waits for.
/// Nothing is changed for a thread whose own lines already say it.
enum PartialDumpCompletion {
    static func complete(_ dump: inout ThreadDump, stacks: [JavaThread],
                         owners: [(name: String, lock: LockRef, ownable: Bool)], waiters: [(name: String, lock: LockRef)]) {
        guard !stacks.isEmpty || !owners.isEmpty || !waiters.isEmpty || !dump.jvmDeadlocks.isEmpty else { return }
        // Only the names other lines mention are looked up: hashing every name of a 20,000-thread dump costs
        // more than the rest of its analysis' extras together.
        var needed = Set(stacks.map(\.name))
        for cycle in dump.jvmDeadlocks {
            for entry in cycle.entries {
                needed.insert(entry.thread)
                if let holder = entry.heldBy { needed.insert(holder) }
            }
        }
        for owner in owners { needed.insert(owner.name) }
        for waiter in waiters { needed.insert(waiter.name) }
        let lengths = Set(needed.map(\.utf8.count))
        // Ambiguous names matter only where existing threads are changed (owners, waiters): else stop once all are found.
        let scanAll = !owners.isEmpty || !waiters.isEmpty
        var byName: [String: Int] = [:]
        var ambiguous: Set<String> = []
        // By index, not by element: copying 20,000 threads (their arrays retained and released) costs.
        for index in dump.threads.indices where lengths.contains(dump.threads[index].name.utf8.count) {
            let name = dump.threads[index].name
            guard needed.contains(name) else { continue }
            if byName[name] == nil { byName[name] = index } else { ambiguous.insert(name) }
            if !scanAll, byName.count == needed.count { break }
        }
        let read = dump.threads.count
        /// The thread named `name`, added when the dump does not show it; nil when several threads bear the name.
        func index(of name: String, line: Int, state: ThreadState?) -> Int? {
            if ambiguous.contains(name) { return nil }
            if let known = byName[name] { return known }
            var thread = JavaThread(name: name, line: line, byteOffset: dump.byteOffset)
            thread.state = state
            dump.threads.append(thread)
            dump.threadsFromDeadlockSection += 1
            byName[name] = dump.threads.count - 1
            return dump.threads.count - 1
        }
        for stack in stacks where byName[stack.name] == nil {
            var thread = stack
            if thread.state == nil, thread.awaitedLock != nil { thread.state = .blocked }
            dump.threads.append(thread)
            byName[thread.name] = dump.threads.count - 1
        }
        // The JVM's deadlock section completes only the threads it alone shows: the stacks of the others
        // already say what they hold and wait for (the section itself is checked against them later).
        for cycle in dump.jvmDeadlocks {
            for entry in cycle.entries {
                guard let lock = entry.lock, let waiter = index(of: entry.thread, line: entry.line, state: .blocked) else { continue }
                if waiter >= read, dump.threads[waiter].awaitedLock == nil {
                    let kind: LockAction.Kind = entry.lockKind == "monitor" ? .waitingToLock : .parkingFor
                    dump.threads[waiter].locks.append(LockAction(kind: kind, lock: lock, frame: -1))
                }
                if let holder = entry.heldBy, let at = index(of: holder, line: entry.line, state: .blocked), at >= read {
                    hold(lock, by: at, ownable: entry.lockKind != "monitor", in: &dump)
                }
            }
        }
        for owner in owners {
            guard let at = index(of: owner.name, line: dump.line, state: nil) else { continue }
            hold(owner.lock, by: at, ownable: owner.ownable, in: &dump)
        }
        for waiter in waiters {
            guard let at = index(of: waiter.name, line: dump.line, state: .blocked) else { continue }
            if dump.threads[at].awaitedLock == nil {
                dump.threads[at].locks.append(LockAction(kind: .waitingToLock, lock: waiter.lock, frame: -1))
            }
        }
    }

    private static func hold(_ lock: LockRef, by index: Int, ownable: Bool, in dump: inout ThreadDump) {
        if ownable {
            if !dump.threads[index].ownableSynchronizers.contains(lock) { dump.threads[index].ownableSynchronizers.append(lock) }
        } else if !dump.threads[index].locks.contains(where: { $0.lock == lock && ($0.kind == .locked || $0.kind == .waitingOn) }) {
            dump.threads[index].locks.append(LockAction(kind: .locked, lock: lock, frame: -1))
        }
    }
}
