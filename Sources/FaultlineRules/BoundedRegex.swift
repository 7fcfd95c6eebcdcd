import Foundation

/// The first match of an ICU pattern, given up once it has cost too much CPU time.
///
/// `NSRegularExpression` cannot be given a time limit, but with `.reportProgress` ICU calls
/// back into the enumeration block at each new start position and every 10,000 backtracking
/// states (measured: `^(a+)+$` on 28 `a`s and a `!` calls back 330 times in 50 ms), and the
/// block can stop the match. The thread's CPU time is read at the first call and every 64th
/// after (one `clock_gettime` per 640,000 states at most), so a runaway pattern overshoots its
/// limit by a few milliseconds, and time spent waiting for a core is not counted against it.
/// (Swift's `Regex` cannot be interrupted at all.)
enum BoundedRegex {
    enum Outcome {
        case matched(NSTextCheckingResult)
        case none
        /// Stopped after `limit`: no answer.
        case overran
    }

    /// How many progress calls pass between two reads of the clock.
    static let clockEvery = 64

    static func firstMatch(_ regex: NSRegularExpression, in text: String, range: NSRange, limit: Duration) -> Outcome {
        let limitNanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
        // One box for the block's state (the block escapes, as far as the compiler knows).
        final class State {
            var found: NSTextCheckingResult?
            var overran = false
            var calls = 0
            var started: Int64 = -1
        }
        let state = State()
        regex.enumerateMatches(in: text, options: .reportProgress, range: range) { result, _, stop in
            if let result {
                state.found = result
                stop.pointee = true
                return
            }
            defer { state.calls &+= 1 }
            guard state.calls % clockEvery == 0 else { return }
            let now = threadCPUTime()
            if state.started < 0 {
                state.started = now
            } else if now - state.started > limitNanoseconds {
                state.overran = true
                stop.pointee = true
            }
        }
        if let found = state.found { return .matched(found) }
        return state.overran ? .overran : .none
    }

    /// The calling thread's CPU time in nanoseconds.
    static func threadCPUTime() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
