public import FaultlineCore

/// The align stage: records which clock each input's events are on, so the
/// correlator can order a case's events on one timeline (absolute times first
/// by time, the rest by their place in their input).
///
/// Estimating the offset between two inputs' clocks from a shared subject is
/// the correlation engine's next step (issue 5) and plugs in here.
public struct AlignStage: EventStage {
    public let name = StageName.align
    /// Best clock seen per input index.
    public private(set) var clocks: [Int: EventTime.Clock] = [:]

    public init() {}

    public mutating func process(_ events: inout [Event]) {
        for event in events {
            let clock = event.time.clock
            if let known = clocks[event.location.input], known <= clock { continue }
            clocks[event.location.input] = clock
        }
    }

    public mutating func finish(_ events: inout [Event]) {}
}
