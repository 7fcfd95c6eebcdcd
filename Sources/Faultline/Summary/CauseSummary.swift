/// Causes across a batch, for `faultline summary`: how many cases each top
/// cause and each layer has, per day, which subjects (hosts, nameservers,
/// modules, packages, registries) come up most, and — against an older run —
/// which cases have a top cause they did not have before.
///
/// Records with the same key (shards or runs merged) count once: the last one read wins.
public struct CauseSummary: Sendable {
    /// A count under a name, for tables.
    public struct Count: Sendable, Hashable {
        public var name: String
        public var count: Int

        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// How cases are dated in `days`.
    public enum Period: String, Sendable, CaseIterable {
        /// `YYYY-MM-DD`.
        case day
        /// The ISO 8601 week, `YYYY-Www`.
        case week
    }

    /// One day's (or week's) cases by cause.
    public struct Day: Sendable, Hashable {
        /// `YYYY-MM-DD` (or `YYYY-Www` by week), or `undated`.
        public var day: String
        public var cases: Int
        public var causes: [Count]
    }

    /// A case whose top cause is new compared with the older run.
    public struct Change: Sendable, Hashable {
        public var key: String
        public var cause: String
        /// The older run's top cause, nil when the case was not in it.
        public var previous: String?

        public init(key: String, cause: String, previous: String?) {
            self.key = key
            self.cause = cause
            self.previous = previous
        }
    }

    /// The subject kinds listed, in this order.
    public static let subjectKinds = ["host", "nameserver", "module", "package", "registry", "proxy", "url"]

    public var cases = 0
    /// How `days` are dated.
    public var period = Period.day
    public var verdicts: [Count] = []
    public var causes: [Count] = []
    public var layers: [Count] = []
    public var days: [Day] = []
    /// By subject kind, the most frequent values (at most `top`).
    public var subjects: [String: [Count]] = [:]
    /// Only with an older run: cases whose top cause is new.
    public var changes: [Change]?
    /// The cases with a cause, in key order, at most `listLimit` (the HTML page lists them).
    public var failing: [CaseRecord] = []
    /// How many cases have a cause (`failing` may hold fewer).
    public var failingCount = 0
    /// The most cases `failing` lists.
    public static let listLimit = 1000

    /// Summarises `records` (and compares with `older` when given); lists at most `top` subjects per kind,
    /// and dates cases by `period`.
    public init(records: [CaseRecord], older: [CaseRecord]? = nil, top: Int = 10, period: Period = .day) {
        self.period = period
        var latest: [String: CaseRecord] = [:]
        for record in records { latest[record.key] = record }
        let all = latest.values.sorted { $0.key < $1.key }
        cases = all.count
        var verdictCounts: [String: Int] = [:]
        var causeCounts: [String: Int] = [:]
        var layerCounts: [String: Int] = [:]
        var dayCounts: [String: [String: Int]] = [:]
        var subjectCounts: [String: [String: Int]] = [:]
        for record in all {
            verdictCounts[record.verdict, default: 0] += 1
            guard record.cause != "none" else { continue }
            causeCounts[record.cause, default: 0] += 1
            layerCounts[record.layer ?? "unknown", default: 0] += 1
            let date = record.day.map { period == .week ? (Self.isoWeek(of: $0) ?? $0) : $0 } ?? "undated"
            dayCounts[date, default: [:]][record.cause, default: 0] += 1
            for kind in Self.subjectKinds {
                if let value = record.subjects[kind] { subjectCounts[kind, default: [:]][value, default: 0] += 1 }
            }
        }
        let withCause = all.filter { $0.cause != "none" }
        failingCount = withCause.count
        failing = Array(withCause.prefix(Self.listLimit))
        verdicts = Self.ranked(verdictCounts)
        causes = Self.ranked(causeCounts)
        layers = Self.ranked(layerCounts)
        days = dayCounts.keys.sorted { a, b in
            // Dated days in order, undated last.
            (a == "undated" ? 1 : 0, a) < (b == "undated" ? 1 : 0, b)
        }.map { day in
            let counts = dayCounts[day] ?? [:]
            return Day(day: day, cases: counts.values.reduce(0, +), causes: Self.ranked(counts))
        }
        for (kind, counts) in subjectCounts { subjects[kind] = Array(Self.ranked(counts).prefix(top)) }
        if let older {
            var before: [String: String] = [:]
            for record in older { before[record.key] = record.cause }
            changes = all.compactMap { record in
                guard record.cause != "none", before[record.key] != record.cause else { return nil }
                return Change(key: record.key, cause: record.cause, previous: before[record.key])
            }
        }
    }

    /// `2026-W02` for `2026-01-05`: the ISO 8601 week (Monday first; week 1 holds the year's first Thursday).
    static func isoWeek(of day: String) -> String? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        // Days since 1970-01-01 (a Thursday), by the civil-from-days inverse (Howard Hinnant's algorithm).
        func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
            let y = m <= 2 ? y - 1 : y
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146_097 + doe - 719_468
        }
        let days = daysFromCivil(parts[0], parts[1], parts[2])
        let weekday = ((days + 3) % 7 + 7) % 7 // 0 = Monday
        let thursday = days - weekday + 3
        // The ISO year is the Thursday's year.
        var year = parts[0] + 1
        while daysFromCivil(year, 1, 1) > thursday { year -= 1 }
        let week = (thursday - daysFromCivil(year, 1, 1)) / 7 + 1
        return "\(year)-W" + (week < 10 ? "0\(week)" : "\(week)")
    }

    /// Most first, then by name.
    static func ranked(_ counts: [String: Int]) -> [Count] {
        counts.map { Count(name: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.name) < ($0.count, $1.name) }
    }
}
