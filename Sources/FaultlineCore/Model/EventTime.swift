/// When an event happened, and how far that time can be trusted (SPEC section 4).
public struct EventTime: Sendable, Hashable {
    /// How trustworthy a time is, from best to worst.
    public enum Clock: String, Sendable, Codable, Comparable {
        /// A wall-clock time: pcap timestamps, RFC3339 CI prefixes, jstack headers.
        case absolute
        /// Seconds since some origin named by `origin` (a BuildKit step start, an npm run start).
        case relative
        /// When a streamed line reached Faultline.
        case arrival
        /// No time at all: only the order within the input is known.
        case none

        var rank: Int {
            switch self {
            case .absolute: 0
            case .relative: 1
            case .arrival: 2
            case .none: 3
            }
        }

        public static func < (lhs: Clock, rhs: Clock) -> Bool { lhs.rank < rhs.rank }
    }

    /// Seconds since the Unix epoch (absolute, arrival) or since `origin` (relative).
    public var seconds: Double?
    public var clock: Clock
    /// For relative times, what the seconds count from (e.g. `buildkit-step-8`).
    public var origin: String?

    public init(seconds: Double?, clock: Clock, origin: String? = nil) {
        self.seconds = seconds
        self.clock = seconds == nil ? .none : clock
        self.origin = origin
    }

    public static let unknown = EventTime(seconds: nil, clock: .none)

    public static func absolute(_ seconds: Double) -> EventTime { EventTime(seconds: seconds, clock: .absolute) }
}
