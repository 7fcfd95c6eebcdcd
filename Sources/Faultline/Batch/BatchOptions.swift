#if canImport(Glibc)
import Glibc
#endif

/// How a batch runs: how many worker threads, in which order results come
/// out, which shard of the cases, how cases are keyed and how large one may be.
public struct BatchOptions: Sendable {
    /// Worker threads that analyse cases (each analyses one whole case at a time).
    public var jobs: Int
    /// Results in key order instead of completion order.
    public var sorted = false
    /// Only the cases of this shard.
    public var shard: Shard?
    /// A regular expression whose first capture group (or whole match) in a path is its case key.
    public var caseKey: String?
    /// The most bytes of archive members held for one case; members past it are reported, not read.
    public var caseByteLimit = 256 << 20
    /// The most cases of one archive held in memory at once: an archive whose cases' members interleave
    /// more than this (all `build.log`s first, then all captures) is read in several passes of at most this many.
    public var openCaseLimit = 256
    /// The zone of local timestamps without one (thread-dump headers).
    public var localTimeZone = "UTC"
    /// Compute each case's input fingerprint (it reads files on disk twice).
    public var fingerprints = false
    /// Asked on a worker thread before a case is analysed, with its key and fingerprint: true skips it
    /// (`--resume` with a database that already holds it).
    public var skip: (@Sendable (_ key: String, _ fingerprint: String) -> Bool)?
    /// Also write each case's report as a file of its own (`--reports DIR`), on the worker that analysed it.
    public var caseReports: CaseReportFolder?
    /// Keep each case's aligned events in its report (the HTML timeline needs them).
    public var includeTimeline = false

    public init(jobs: Int = BatchOptions.cores) {
        self.jobs = max(1, jobs)
    }

    /// The processors this process may use.
    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
