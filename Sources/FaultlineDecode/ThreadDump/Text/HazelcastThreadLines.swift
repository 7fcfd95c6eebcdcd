/// The thread dump Hazelcast's test runners print when a test times out
/// (`AbstractHazelcastClassRunner.generateThreadDump`, pasted into many of
/// Hazelcast's test-failure issues): no header, no ids, a name alone on its
/// line (with a trailing space), the state line carrying the lock, its owner
/// by name and the CPU and contention times, frames indented by two tabs.
///
///     "hz.quirky_jones.generic-operation.thread-1" ␠
///     	java.lang.Thread.State: WAITING, on lock=java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@4b071574, cpu=11192295 nsecs, usr=0 nsecs, blocked=0 msecs, waited=122635 msecs
///     		at sun.misc.Unsafe.park(Native Method)
///
/// Hazelcast 3.4 wrote `WAITING on lock=…` without the comma. The locks a
/// thread holds are never listed: only the owner of the lock it waits for
/// (`, owned by NAME, id=N`). The Management Center's dump
/// (`ThreadDumpGenerator`) is `ThreadInfo.toString()` under a `Full thread
/// dump` line and is read as that form.
enum HazelcastThreadLines {
    /// `"name"` alone on its line, trailing spaces allowed: the name's bytes.
    static func bareHeader(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard line.first == 0x22 else { return nil }
        var end = line.count
        while end > 0, line[end - 1] == 0x20 { end -= 1 }
        guard end >= 3, line[end - 1] == 0x22 else { return nil }
        return ByteText.slice(line, 1, end - 1)
    }

    /// Whether a line outside a dump starts one: the name as Hazelcast writes it, `"…"` and one space.
    static func startsDump(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count >= 4 && line[line.count - 1] == 0x20 && line[line.count - 2] == 0x22 && bareHeader(line) != nil
    }

    /// `, owned by NAME, id=N` on a state line: the owner's name.
    static func owner(_ state: UnsafeRawBufferPointer) -> String? {
        guard let at = ByteText.find(", owned by ", in: state) else { return nil }
        let rest = ByteText.slice(state, at + 11)
        let end = ByteText.find(", id=", in: rest) ?? ByteText.firstIndex(of: 0x2C, in: rest) ?? rest.count
        let name = ByteText.trimmed(ByteText.slice(rest, 0, end))
        return name.isEmpty ? nil : ByteText.name(name)
    }

    /// `cpu=N nsecs` on a state line, in milliseconds.
    static func cpuMilliseconds(_ state: UnsafeRawBufferPointer) -> Double? {
        guard let at = ByteText.find(", cpu=", in: state), let value = ByteText.decimal(state, at: at + 6) else { return nil }
        return Double(value.value) / 1_000_000
    }
}
