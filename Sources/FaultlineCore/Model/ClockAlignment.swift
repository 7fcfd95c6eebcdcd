/// How one input's clock was put on another's: the estimated offset, the
/// range the evidence allows, and the shared subject it rests on.
public struct ClockAlignment: Sendable, Hashable {
    /// How the alignment was made.
    public enum Method: String, Sendable {
        /// Both inputs have clocks; the offset comes from a subject they share.
        case sharedSubject = "shared-subject"
        /// The input has no clock; its events were placed at the time the
        /// reference shows for the subject they share.
        case placedBySubject = "placed-by-subject"
    }

    /// Index of the input whose clock is aligned.
    public var input: Int
    /// Index of the input whose clock is the reference (a capture, when there is one).
    public var reference: Int
    public var method: Method
    /// Seconds to subtract from the input's times to get the reference's (input − reference).
    public var offsetSeconds: Double?
    /// The offsets the evidence allows; the applied offset never leaves this range.
    public var bounds: ClosedRange<Double>?
    /// Where the input's clock-less events were placed on the reference clock.
    public var placedAt: Double?
    /// What the estimate rests on, e.g. `host proxy.golang.org: build.log:31 vs frames 1–4`.
    public var basis: String
    /// How many shared-subject pairs agreed.
    public var pairs: Int

    public init(input: Int, reference: Int, method: Method, offsetSeconds: Double? = nil,
                bounds: ClosedRange<Double>? = nil, placedAt: Double? = nil, basis: String, pairs: Int) {
        self.input = input
        self.reference = reference
        self.method = method
        self.offsetSeconds = offsetSeconds
        self.bounds = bounds
        self.placedAt = placedAt
        self.basis = basis
        self.pairs = pairs
    }
}
