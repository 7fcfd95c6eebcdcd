/// One thing a dump shows to be wrong, with the cause id it supports
/// (`jvm_deadlock`, `jvm_lock_contention`, `jvm_pool_starvation`,
/// `jvm_blocked_on_dns`, `jvm_blocked_on_io`, `jvm_carrier_starvation`, `jvm_cpu_spin`,
/// `jvm_shutdown_hang`),
/// how sure the analysis is, the threads involved and a one-line summary.
///
/// How sure, and why:
/// - deadlock 0.97 when the lock graph and the JVM's own section agree, 0.95 the JVM's alone,
///   0.93 (monitors) / 0.90 (j.u.c. locks, whose owners only `-l` shows) the graph alone:
///   a cycle of waits cannot resolve itself.
/// - deadlock inferred where the dump names no j.u.c. lock owners (`Thread.dump_to_file` of JDK 21–25)
///   0.70 (+0.12 unchanged across dumps): a few threads parked on as many different ownable locks from
///   one call site, nobody seen holding them.
/// - deadlock through a pool 0.86 (+0.06 unchanged across dumps): a thread holds a lock and waits
///   for a future while every worker of a pool is blocked on that lock; that the awaited task is
///   the pool's is inferred.
/// - contention 0.55 + 0.05 per waiter (at most 6), +0.07 when the owner sleeps, does I/O or
///   waits while holding the lock, +0.05 when it has not moved across dumps, −0.15 without a
///   known owner; reported from 3 waiters, or 2 when the owner is the cause.
/// - pool starvation 0.75 (2+ workers) / 0.62 (one), +0.12 unchanged across dumps: every worker
///   waiting inside a task is the signature, the queued work itself is not visible in a dump.
/// - DNS 0.60 / 0.70 / 0.78 for 1 / 2–3 / 4+ threads, +0.12 unchanged across dumps: a lookup
///   normally takes milliseconds, so being caught in one at all is telling.
/// - socket I/O 0.55 (reads) / 0.62 (connects) in one dump, 0.80 unchanged across dumps: a
///   client read can be a healthy long call, so one dump says less.
/// - carrier starvation 0.85 when waiting virtual threads are visible (`Thread.dump_to_file`),
///   0.60 when only the busy carriers are (`jstack`), +0.12 unchanged across dumps.
/// - CPU spin 0.86 when `cpu=` grew by at least 90% of the time between two dumps, 0.60 from one
///   dump's `cpu=` against `elapsed=`, +0.03 for several such threads.
/// - shutdown hang 0.72 when every non-daemon thread left after `main` is an idle pool worker (an
///   executor never shut down), 0.60 otherwise, +0.08 unchanged across dumps.
public struct JVMFinding: Sendable {
    public var cause: String
    /// 0…1.
    public var confidence: Double
    /// One line for a person.
    public var summary: String
    /// Indices into the dump's threads; the first is the one to look at.
    public var threads: [Int]
    /// `threads` (count), `thread` (a representative), `lock`, `host`, `owner`, `pool`…
    public var subjects: [String: String]

    public init(cause: String, confidence: Double, summary: String, threads: [Int], subjects: [String: String]) {
        self.cause = cause
        self.confidence = min(0.99, max(0, confidence))
        self.summary = summary
        self.threads = threads
        self.subjects = subjects
    }

    public static let deadlock = "jvm_deadlock"
    public static let contention = "jvm_lock_contention"
    public static let poolStarvation = "jvm_pool_starvation"
    public static let blockedOnDNS = "jvm_blocked_on_dns"
    public static let blockedOnIO = "jvm_blocked_on_io"
    public static let carrierStarvation = "jvm_carrier_starvation"
    public static let cpuSpin = "jvm_cpu_spin"
    public static let shutdownHang = "jvm_shutdown_hang"
}
