import FaultlineCore

/// Estimates how each log's clock relates to a capture's, from the subjects
/// they share: a log line saying `lookup X … i/o timeout` was written just
/// after the capture's last query for X went unanswered (or its answer came
/// back). The line cannot precede that packet, and cannot come much later
/// than the client's retry interval allows, so those two facts bound the
/// offset; the estimate never leaves the bounds, and is zero when zero is
/// within them.
struct ClockAligner {
    /// A log event naming a host, with the time the log gave it.
    struct Anchor {
        var input: Int
        var line: Int?
        var time: EventTime
        var host: String
    }

    /// Longest plausible delay between the last DNS packet and the error line.
    var maxDelaySeconds = 30.0
    var maxOffsetSeconds: Double

    func align(anchors: [Anchor], observations: DNSObservations, inputPaths: [String]) -> [ClockAlignment] {
        var byInput: [Int: [Anchor]] = [:]
        for anchor in anchors where !observations.captureInputs.contains(anchor.input) {
            byInput[anchor.input, default: []].append(anchor)
        }
        var result: [ClockAlignment] = []
        for (input, anchors) in byInput.sorted(by: { $0.key < $1.key }) {
            var pairs: [(anchor: Anchor, record: DNSObservations.Record, packet: Double, delay: Double)] = []
            for anchor in anchors {
                guard let record = observations.lookup(anchor.host).withVariants, let last = record.lastTime else { continue }
                // An unanswered last query: the client gave up one retry interval later.
                var delay = 0.0
                if record.answered == 0, record.queries > 1, let first = record.firstTime {
                    delay = min(maxDelaySeconds, (last - first) / Double(record.queries - 1))
                } else if record.answered == 0 {
                    delay = 1
                }
                pairs.append((anchor, record, last, delay))
            }
            guard let firstPair = pairs.first else { continue }
            let reference = firstPair.record.input
            let name = { (index: Int) in inputPaths.indices.contains(index) ? inputPaths[index] : "input \(index)" }
            let place = firstPair.anchor.line.map { "\(name(input)):\($0)" } ?? name(input)
            let basis = "host \(firstPair.anchor.host): \(place) vs \(name(reference)) \(firstPair.record.frames)"
            let timed = pairs.filter { $0.anchor.time.clock == .absolute && $0.anchor.time.seconds != nil }
            if timed.isEmpty {
                result.append(ClockAlignment(input: input, reference: reference, method: .placedBySubject,
                                             placedAt: firstPair.packet + firstPair.delay, basis: basis, pairs: pairs.count))
                continue
            }
            var lower = -Double.infinity
            var upper = Double.infinity
            var estimates: [Double] = []
            for pair in timed {
                guard let t = pair.anchor.time.seconds else { continue }
                // The error is written after the last packet and within maxDelay of it.
                lower = max(lower, t - pair.packet - maxDelaySeconds)
                upper = min(upper, t - pair.packet + 0.5)
                estimates.append(t - pair.packet - pair.delay)
            }
            guard lower <= upper else {
                result.append(ClockAlignment(input: input, reference: reference, method: .sharedSubject,
                                             basis: basis + " (pairs disagree; not applied)", pairs: timed.count))
                continue
            }
            // Clocks that agree within what the evidence allows are left alone (most
            // machines keep NTP time); otherwise the median pair estimate, kept in bounds.
            let sorted = estimates.sorted()
            let median = sorted[sorted.count / 2]
            let offset = (lower...upper).contains(0) ? 0 : min(upper, max(lower, median))
            guard abs(offset) <= maxOffsetSeconds else {
                result.append(ClockAlignment(input: input, reference: reference, method: .sharedSubject, bounds: lower...upper,
                                             basis: basis + " (offset beyond the pipeline's limit; not applied)", pairs: timed.count))
                continue
            }
            result.append(ClockAlignment(input: input, reference: reference, method: .sharedSubject, offsetSeconds: offset,
                                         bounds: lower...upper, basis: basis, pairs: timed.count))
        }
        return result
    }
}
