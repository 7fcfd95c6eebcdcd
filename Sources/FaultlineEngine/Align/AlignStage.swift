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
        // Read in place (a copy of each event would retain its text and subjects), and most batches
        // come from one input with one clock: looked up again only when the input or clock changes.
        var last: (input: Int, clock: EventTime.Clock)?
        for index in events.indices {
            let input = events[index].location.input
            let clock = events[index].time.clock
            if let last, last.input == input, last.clock == clock { continue }
            last = (input, clock)
            if let known = clocks[input], known <= clock { continue }
            clocks[input] = clock
        }
    }

    public mutating func finish(_ events: inout [Event]) {}
}
