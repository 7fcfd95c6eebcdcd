/// A value freed on a thread of its own, so a caller done with a large structure (a capture's
/// tens of thousands of tallies, each with its text and lists; a case's correlation) need not
/// wait while it is freed.
///
/// A command that exits once its report is written sets `leftToExit`: the value is then not
/// freed at all, as compilers leave their trees to the process's exit (clang's `-disable-free`).
/// Freeing a hundred thousand small blocks only to exit costs more than the exit, on another
/// thread too (they go back to the allocator the main thread is using).
public final class Retired<Value>: @unchecked Sendable {
    private var value: Value?

    private init(_ value: consuming Value) { self.value = value }

    /// Frees `value` on another thread (or leaves it to the exit), leaving `replacement` (something
    /// small) in its place: the value is moved out, never copied, so the caller keeps no reference to any of it.
    public static func free(_ value: inout Value, leaving replacement: consuming Value) {
        var taken = replacement
        swap(&taken, &value)
        let box = Retired(consume taken)
        if RetiredValues.leftToExit {
            _ = Unmanaged.passRetained(box)
            return
        }
        // Only that thread touches the value from here on; the box itself may be released by either.
        WorkerThread.detach { box.value = nil }
    }
}

/// What `Retired` does with what it is given.
public enum RetiredValues {
    /// Set once, before any thread is started, by a command that exits after one report (`analyze`):
    /// retired values are then never freed. Never for a process that goes on (`batch`, `watch`).
    nonisolated(unsafe) public static var leftToExit = false
}
