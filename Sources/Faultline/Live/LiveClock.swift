#if canImport(Glibc)
import Glibc
#endif

/// The two clocks of a live session: wall time for arrival stamps, a monotonic one for intervals.
public enum LiveClock {
    /// Seconds since the Unix epoch (the `arrival` clock of events).
    public static func wall() -> Double { read(CLOCK_REALTIME) }

    /// Seconds on a clock that never jumps (rate limits, idle and stall timers).
    public static func monotonic() -> Double { read(CLOCK_MONOTONIC) }

    private static func read(_ clock: clockid_t) -> Double {
        var now = timespec()
        clock_gettime(clock, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
