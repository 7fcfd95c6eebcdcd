/// Runs the event stages of one case in order over batches of events:
/// normalise → align → correlate, then rank at the end.
///
/// Decoding happens per input before this, and emitting after `finish`; the
/// pipeline itself knows nothing about formats or renderers.
public struct Pipeline {
    public var stages: [any EventStage]
    public var correlator: any Correlating
    public var ranker: any Ranking
    public private(set) var eventsSeen = 0

    public init(stages: [any EventStage], correlator: any Correlating, ranker: any Ranking) {
        self.stages = stages
        self.correlator = correlator
        self.ranker = ranker
    }

    /// Pushes one batch through every event stage into the correlator.
    public mutating func push(_ batch: [Event]) {
        push(batch) { _ in }
    }

    /// `push`, showing `observe` the events as they reach the correlator (classified, re-timed).
    public mutating func push(_ batch: [Event], observe: ([Event]) -> Void) {
        var events = batch
        for index in stages.indices {
            stages[index].process(&events)
        }
        eventsSeen += events.count
        observe(events)
        correlator.consume(events)
    }

    /// The first stage of type `T`, to read what it recorded.
    public func stage<T: EventStage>(_ type: T.Type) -> T? {
        stages.lazy.compactMap { $0 as? T }.first
    }

    /// What `finish` would conclude from the events pushed so far, without ending the case:
    /// a copy of the pipeline is flushed and ranked, this one goes on taking batches.
    /// Stages and correlator are value types (the `EventStage` and `Correlating` contracts),
    /// so events a stage holds back until the end are flushed in the copy only.
    public func snapshot() -> Correlation {
        var copy = self
        return copy.finish()
    }

    /// `snapshot()` with `provisional` events pushed into the copy only: what a live capture's
    /// findings so far add to the picture, without ever reaching the final report.
    public func snapshot(adding provisional: [Event]) -> Correlation {
        guard !provisional.isEmpty else { return snapshot() }
        var copy = self
        copy.push(provisional)
        return copy.finish()
    }

    /// Flushes every stage, then correlates and ranks.
    public mutating func finish() -> Correlation {
        for index in stages.indices {
            var held: [Event] = []
            stages[index].finish(&held)
            for later in stages.indices where later > index {
                stages[later].process(&held)
            }
            if !held.isEmpty { correlator.consume(held) }
        }
        var result = correlator.conclude()
        result.hypotheses = ranker.rank(result.hypotheses)
        // A warning that ranking set aside (a search-list storm that broke nothing) is not a failure.
        if result.verdict == .failure, result.hypotheses.isEmpty, !result.failureObserved { result.verdict = .success }
        return result
    }
}
