public import FaultlineCore
public import FaultlineRules

/// The correlate stage for one case: keeps the events that matter (classified
/// errors, build steps and their failures) within fixed bounds, and at the end
/// turns them into hypotheses, linking each cause to the failed step it
/// happened in so the step's failure becomes a symptom the cause explains.
public struct BuildCorrelator: Correlating {
    private let knowledge: KnowledgeBase
    private let inputPaths: [String]
    private let packOfSignature: [String: String]
    /// Events kept per cause; more are counted, not kept.
    public var evidenceCap = 32
    /// Events kept for the timeline; older ones are dropped first.
    public var timelineCap: Int

    private var causeEvents: [String: [Event]] = [:]
    private var causeOrder: [String] = []
    private var causeCounts: [String: Int] = [:]
    private var failedSteps: [Event] = []
    private var buildFailures: [Event] = []
    private var stepStarts: [String: Event] = [:]
    private var dockerfileLocations: [Event] = []
    private var unclassifiedErrors: [Event] = []
    private var timeline = RingBuffer<Event>(capacity: 1)
    private var tools: Set<String> = []

    public init(knowledge: KnowledgeBase, inputPaths: [String], timelineCap: Int = 5000) {
        self.knowledge = knowledge
        self.inputPaths = inputPaths
        self.timelineCap = timelineCap
        timeline = RingBuffer(capacity: max(1, timelineCap))
        var packs: [String: String] = [:]
        for pack in knowledge.packs { for signature in pack.signatures { packs[signature.id] = pack.name } }
        packOfSignature = packs
    }

    public mutating func consume(_ events: [Event]) {
        for event in events {
            timeline.append(event)
            if let cause = event.cause {
                if causeEvents[cause] == nil { causeOrder.append(cause) }
                causeCounts[cause, default: 0] += 1
                if causeEvents[cause, default: []].count < evidenceCap { causeEvents[cause, default: []].append(event) }
                if let signature = event.signature, let pack = packOfSignature[signature] { tools.insert(pack) }
                continue
            }
            switch event.kind {
            case .stepFailed where failedSteps.count < 64: failedSteps.append(event)
            case .buildFailed where buildFailures.count < 16: buildFailures.append(event)
            case .stepStart:
                if let step = event.step, stepStarts.count < 10_000 { stepStarts["\(event.location.input)/\(step.key)"] = event }
            case .dockerfileLocation where dockerfileLocations.count < 16: dockerfileLocations.append(event)
            case .logLine where event.severity >= .error && unclassifiedErrors.count < 16: unclassifiedErrors.append(event)
            default: break
            }
        }
    }

    public func conclude() -> Correlation {
        var hypotheses: [Hypothesis] = []
        var explainedFailures = Set<Int>()
        let failures = failedSteps + buildFailures
        for cause in causeOrder {
            guard let events = causeEvents[cause], let definition = knowledge.causes[cause] else { continue }
            let ordered = events.sorted { ($0.location.input, $0.location.line ?? 0) < ($1.location.input, $1.location.line ?? 0) }
            var subjects = Subjects()
            for event in ordered { subjects.fill(from: event.subjects) }
            var evidence = deduplicated(ordered.map { self.evidence($0, role: $0.signature) })
            var explains: [String] = []
            var linked = false
            for (index, failure) in failures.enumerated() where ordered.contains(where: { Self.happened($0, in: failure) }) {
                explainedFailures.insert(index)
                linked = true
                if !explains.contains("build_step_failed") { explains.append("build_step_failed") }
                evidence.append(self.evidence(failure, role: failure.kind == .stepFailed ? "step failed" : "build failed"))
            }
            let strongest = ordered.map(\.confidence).max() ?? 0.5
            let distinctLines = Set(ordered.map { "\($0.location.input)/\($0.location.line ?? 0)" }).count
            var confidence = strongest + 0.02 * Double(min(distinctLines - 1, 2))
            let severe = ordered.contains { $0.severity >= .error }
            if linked { confidence += 0.03 }
            if !severe && failures.isEmpty { confidence *= 0.5 }
            if let step = ordered.first?.step, let name = step.name ?? stepStarts.first(where: { $0.key.hasSuffix("/" + step.key) })?.value.step?.name {
                if subjects[Subjects.Key.step] == nil { subjects[Subjects.Key.step] = name }
            }
            let remedy = knowledge.remedy(for: cause, tools: tools)
            hypotheses.append(Hypothesis(
                cause: cause, layer: definition.layer, confidence: min(0.99, max(0, confidence)),
                title: Template.expand(definition.title, subjects: subjects), subjects: subjects,
                evidence: Array(evidence.prefix(knowledge.settings.maxEvidence)), explains: explains,
                remediation: remedy.remediation.map { Template.expand($0, subjects: subjects) },
                verify: remedy.verify.map { Template.expand($0, subjects: subjects) }))
        }
        // A failed step that no cause explains is a finding of its own.
        if let definition = knowledge.causes["build_step_failed"] {
            for (index, failure) in failures.enumerated() where !explainedFailures.contains(index) {
                if failure.kind == .buildFailed, failedSteps.contains(where: { $0.location.input == failure.location.input }) { continue }
                var subjects = failure.subjects
                var evidence: [Evidence] = []
                if let step = failure.step, let start = stepStarts["\(failure.location.input)/\(step.key)"] {
                    subjects[Subjects.Key.step] = subjects[Subjects.Key.step] ?? start.step?.name
                    evidence.append(self.evidence(start, role: "step"))
                }
                evidence.insert(self.evidence(failure, role: "step failed"), at: 0)
                for error in unclassifiedErrors where error.location.input == failure.location.input {
                    evidence.append(self.evidence(error, role: "error"))
                }
                for location in dockerfileLocations where location.location.input == failure.location.input {
                    subjects[Subjects.Key.path] = subjects[Subjects.Key.path] ?? location.subjects[Subjects.Key.path]
                }
                let remedy = knowledge.remedy(for: "build_step_failed", tools: tools)
                hypotheses.append(Hypothesis(
                    cause: "build_step_failed", layer: definition.layer, confidence: 0.6,
                    title: Template.expand(definition.title, subjects: subjects), subjects: subjects,
                    evidence: Array(deduplicated(evidence).prefix(knowledge.settings.maxEvidence)),
                    remediation: remedy.remediation.map { Template.expand($0, subjects: subjects) },
                    verify: remedy.verify.map { Template.expand($0, subjects: subjects) }))
            }
        }
        let failed = !hypotheses.isEmpty || !failures.isEmpty || !unclassifiedErrors.isEmpty
            || causeEvents.values.contains { $0.contains { $0.severity >= .error } }
        let ordered = timeline.elements.sorted { a, b in
            switch (a.time.clock == .absolute ? a.time.seconds : nil, b.time.clock == .absolute ? b.time.seconds : nil) {
            case let (x?, y?) where x != y: return x < y
            default: return (a.location.input, a.location.line ?? 0) < (b.location.input, b.location.line ?? 0)
            }
        }
        return Correlation(verdict: failed ? .failure : .success, hypotheses: hypotheses, timeline: ordered)
    }

    /// Whether `event` is inside the step that `failure` reports (same input, same step, or no step to tell).
    static func happened(_ event: Event, in failure: Event) -> Bool {
        guard event.location.input == failure.location.input else { return false }
        guard let failedStep = failure.step, let step = event.step else { return true }
        return failedStep.key == step.key
    }

    func evidence(_ event: Event, role: String?) -> Evidence {
        Evidence(input: inputPaths.indices.contains(event.location.input) ? inputPaths[event.location.input] : "input \(event.location.input)",
                 line: event.location.line, frame: event.location.frame, byteOffset: event.location.byteOffset,
                 time: event.time, text: event.text, role: role)
    }

    func deduplicated(_ evidence: [Evidence]) -> [Evidence] {
        var seen = Set<String>()
        return evidence.filter { seen.insert("\($0.input)|\($0.line ?? -1)|\($0.frame ?? -1)").inserted }
    }
}
