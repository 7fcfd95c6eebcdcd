import FaultlineCore

/// When a dump was taken, and where that time comes from.
public struct DumpTime: Sendable, Hashable {
    /// Where the time was read.
    public enum Source: String, Sendable {
        /// The `YYYY-MM-DD HH:MM:SS` line before `Full thread dump`: local time, read in `zone`.
        case header
        /// A date inside the header itself (`Full thread dump [… KST 2008]`), with its own zone.
        case headerDate = "header-date"
        /// An ISO-8601 instant (`Thread.dump_to_file`): UTC.
        case instant
        /// An RFC 3339 prefix on the dump's lines (container runtimes): UTC.
        case linePrefix = "line-prefix"
        /// No time at all.
        case none
    }

    /// Seconds since the Unix epoch (UTC), nil when the dump has no time.
    public var seconds: Double?
    public var source: Source
    /// The time as written (`2025-12-22 13:30:12`).
    public var written: String?
    /// The zone a local time was read in (`UTC`, `+02:00`, `Europe/Berlin`, `KST`).
    public var zone: String?

    public init(seconds: Double?, source: Source, written: String? = nil, zone: String? = nil) {
        self.seconds = seconds
        self.source = seconds == nil ? .none : source
        self.written = written
        self.zone = zone
    }

    public static let none = DumpTime(seconds: nil, source: .none)

    /// `2025-12-22 13:30:12 local time read as UTC`, `no timestamp line: no time`.
    public var explanation: String {
        guard let seconds else { return "no timestamp line: the dump has no time" }
        let utc = Timestamp.formatRFC3339(seconds)
        switch source {
        case .header: return "\(written ?? utc) local time read as \(zone ?? "UTC") = \(utc)"
        case .headerDate: return "\(written ?? utc) (\(zone ?? "?")) = \(utc)"
        case .instant: return "\(utc) (ISO instant in the dump)"
        case .linePrefix: return "\(utc) (from the line prefix)"
        case .none: return "no time"
        }
    }
}
