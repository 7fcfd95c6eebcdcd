/// A Java thread's `java.lang.Thread.State`, as a dump prints it.
public enum ThreadState: String, Sendable, CaseIterable, Comparable {
    case new = "NEW"
    case runnable = "RUNNABLE"
    case blocked = "BLOCKED"
    case waiting = "WAITING"
    case timedWaiting = "TIMED_WAITING"
    case terminated = "TERMINATED"

    /// Parses the state word at the start of `bytes` (`RUNNABLE`, `TIMED_WAITING (parking)`…).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> ThreadState? {
        guard let first = bytes.first else { return nil }
        func word(_ literal: StaticString) -> Bool { ByteText.hasPrefix(bytes, literal) }
        switch first {
        case UInt8(ascii: "R"): return word("RUNNABLE") ? .runnable : nil
        case UInt8(ascii: "B"): return word("BLOCKED") ? .blocked : nil
        case UInt8(ascii: "W"): return word("WAITING") ? .waiting : nil
        case UInt8(ascii: "T"): return word("TIMED_WAITING") ? .timedWaiting : word("TERMINATED") ? .terminated : nil
        case UInt8(ascii: "N"): return word("NEW") ? .new : nil
        default: return nil
        }
    }

    /// Order used when listing counts: the states that matter for a hang first.
    var rank: Int {
        switch self {
        case .blocked: 0
        case .waiting: 1
        case .timedWaiting: 2
        case .runnable: 3
        case .new: 4
        case .terminated: 5
        }
    }

    public static func < (lhs: ThreadState, rhs: ThreadState) -> Bool { lhs.rank < rhs.rank }
}
