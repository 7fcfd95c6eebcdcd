public import FaultlineCore
public import FaultlineRules

/// The correlate stage for one case, across all its inputs.
///
/// While events stream in it keeps, within fixed bounds, what matters: the
/// classified events (grouped by cause and subject), build steps and their
/// failures, what the captures say about each name (`DNSObservations`), and a
/// timeline ring. At the end it aligns the inputs' clocks (`ClockAligner`),
/// joins evidence for the same cause and subject from different sources
/// inside the time window, weighs what a capture says for or against a log's
/// claim, links each cause to the failed build step it happened in, and
/// returns the hypotheses for the rank stage.
public struct CaseCorrelator: Correlating {
    private let knowledge: KnowledgeBase
    private let inputPaths: [String]
    private let packOfSignature: [String: String]
    /// Signatures of runners' closing counts: listed after the lines that show the failure.
    private let summarySignatures: Set<String>
    /// Events kept per cause and subject; more are counted, not kept.
    public var evidenceCap = 32

    private var groups: [String: [Event]] = [:]
    private var groupOrder: [String] = []
    private var failedSteps: [Event] = []
    private var buildFailures: [Event] = []
    private var stepStarts: [String: Event] = [:]
    private var dockerfileLocations: [Event] = []
    /// The newest error lines no signature classified (the lines above a failure among them).
    private var unclassifiedErrors = RingBuffer<Event>(capacity: 32)
    private var anchors: [ClockAligner.Anchor] = []
    private var observations = DNSObservations()
    private var timeline: RingBuffer<Event>
    /// Whether the timeline is kept at all: a report that prints none need not copy every event into it.
    private let keepsTimeline: Bool
    private var tools: Set<String> = []
    /// `docker` or `ci`: the wrappers whose steps failed, for the remedies of a failure of unknown cause.
    private var wrapperTools: Set<String> = []
    /// Inputs seen so far, and those whose events come from frames (captures).
    private var inputsSeen: Set<Int> = []
    private var frameInputs: Set<Int> = []
    /// Per input: the line of the CI runner's last word of success, and of its last failure line.
    private var successLines: [Int: Int] = [:]
    private var lastFailureLines: [Int: Int] = [:]
    /// Tests whose own output held a cause line, and those of them that then passed.
    private var toolSucceeded = false
    /// Steps a CI runner said succeeded, as `input/step key`.
    private var succeededSteps: Set<String> = []
    private var testsWithCauses: Set<String> = []
    private var passedTests: Set<String> = []
    /// What the logs and dumps name, to tell a capture's findings about them from findings about other names.
    private var asides = AsideJudgement()
    /// Go packages' `ok` lines and the failures between them: what a passing test binary printed.
    private var passing = PassingPackageOutput()

    /// `keepsTimeline` false: the correlation's timeline is empty (for a report that prints none).
    public init(knowledge: KnowledgeBase, inputPaths: [String], keepsTimeline: Bool = true) {
        self.knowledge = knowledge
        self.inputPaths = inputPaths
        self.keepsTimeline = keepsTimeline
        timeline = RingBuffer(capacity: keepsTimeline ? max(1, knowledge.settings.timelineEvents) : 1)
        var packs: [String: String] = [:]
        for pack in knowledge.packs { for signature in pack.signatures { packs[signature.id] = pack.name } }
        packOfSignature = packs
        summarySignatures = Set(knowledge.signatures.filter(\.isSummary).map(\.id))
    }

    /// The group an event of `cause` joins. Causes in the code itself (a test, a linter, a
    /// compiler) are one incident whatever file or package each line names: the report
    /// lists the failing tests under one hypothesis, the first as the lead.
    func groupKey(cause: String, subjects: Subjects) -> String {
        if knowledge.causes[cause]?.layer == .build { return cause + "|" }
        return cause + "|" + Self.subjectKey(subjects)
    }

    /// The subject a cause is about, for grouping: the host, else the module, path or lock —
    /// as the event's own line states it (a subject borrowed from the lines above names the
    /// hypothesis, but the line joins the group of its cause that its neighbours' lines make).
    static func subjectKey(_ subjects: Subjects) -> String {
        for key in [Subjects.Key.host, Subjects.Key.module, Subjects.Key.package, Subjects.Key.path, "lock"]
            where !subjects.borrowed.contains(key) {
            if let value = subjects[key] { return value.lowercased() }
        }
        return ""
    }

    public mutating func consume(_ events: [Event]) {
        // A batch comes from one input: its sets are added to once per batch, not hashed per event.
        var lastInput = -1
        var lastFrameInput = -1
        for event in events {
            if keepsTimeline { timeline.append(event) }
            if event.location.input != lastInput {
                lastInput = event.location.input
                inputsSeen.insert(lastInput)
            }
            if event.location.frame != nil, event.location.input != lastFrameInput {
                lastFrameInput = event.location.input
                frameInputs.insert(lastFrameInput)
            }
            if event.kind == DNSObservations.transactionKind || event.kind == DNSObservations.summaryKind {
                observations.observe(event)
                continue
            }
            if event.kind == .stepSucceeded {
                toolSucceeded = true
                if let step = event.step, succeededSteps.count < 10_000 { succeededSteps.insert("\(event.location.input)/\(step.key)") }
                continue
            }
            if event.kind == .toolSucceeded {
                toolSucceeded = true
                continue
            }
            if event.kind == .testPassed {
                if let name = event.subjects["test"], testsWithCauses.contains(name) { passedTests.insert(name) }
                continue
            }
            if event.kind == .packagePassed {
                passing.passed(event)
                continue
            }
            if let cause = event.cause {
                if let test = event.testContext, testsWithCauses.count < 10_000 { testsWithCauses.insert(test) }
                let key = groupKey(cause: cause, subjects: event.subjects)
                if groups[key] == nil { groupOrder.append(key) }
                if groups[key, default: []].count < evidenceCap { groups[key, default: []].append(event) }
                if let signature = event.signature, let pack = packOfSignature[signature] { tools.insert(pack) }
                if event.location.frame == nil { asides.told(event.subjects) }
                if event.layer == .build { passing.failed(event) }
                // Only a log line is written right after the lookup it reports; a dump's finding
                // is stamped when the dump was taken, later than the stuck lookup began.
                if event.kind == .logLine, event.location.frame == nil, let host = event.subjects[Subjects.Key.host], anchors.count < 256 {
                    anchors.append(ClockAligner.Anchor(input: event.location.input, line: event.location.line, time: event.time, host: host))
                }
                continue
            }
            if event.kind == .stepFailed || event.kind == .buildFailed, let line = event.location.line {
                lastFailureLines[event.location.input] = max(lastFailureLines[event.location.input] ?? 0, line)
                passing.failed(event)
            }
            // The wrapper a failed step comes from says whose remedies fit a failure of unknown cause.
            if event.kind == .stepFailed || event.kind == .buildFailed {
                let key = event.step?.key ?? ""
                let docker = key.hasPrefix("bk:") || key.hasPrefix("docker:") || event.text.contains("failed to solve")
                wrapperTools.insert(docker ? "docker" : "ci")
            }
            switch event.kind {
            case .stepFailed where failedSteps.count < 64: failedSteps.append(event)
            case .buildFailed where buildFailures.count < 16: buildFailures.append(event)
            case .buildSucceeded: successLines[event.location.input] = event.location.line ?? 0
            case .stepStart:
                if let step = event.step, stepStarts.count < 10_000 { stepStarts["\(event.location.input)/\(step.key)"] = event }
            case .dockerfileLocation where dockerfileLocations.count < 16: dockerfileLocations.append(event)
            case .logLine where event.severity >= .error: unclassifiedErrors.append(event)
            default: break
            }
        }
    }

    public func conclude() -> Correlation {
        let alignment = ClockAligner(maxOffsetSeconds: knowledge.settings.maxClockOffsetSeconds)
            .align(anchors: anchors, observations: observations, inputPaths: inputPaths)
        let offsets = Dictionary(alignment.compactMap { a in a.offsetSeconds.map { (a.input, $0) } }, uniquingKeysWith: { a, _ in a })
        let placed = Dictionary(alignment.compactMap { a in a.placedAt.map { (a.input, $0) } }, uniquingKeysWith: { a, _ in a })
        func alignedTime(_ event: Event) -> Double? {
            guard let seconds = event.time.seconds else { return placed[event.location.input] }
            switch event.time.clock {
            case .absolute, .arrival: return seconds - (offsets[event.location.input] ?? 0)
            default: return placed[event.location.input]
            }
        }

        // An input whose CI runner said, after any failure it printed, that the build succeeded
        // is healthy: its error-looking lines broke nothing (a retried fetch, a test's own output).
        let healthy = Set(successLines.filter { input, line in line >= (lastFailureLines[input] ?? 0) }.keys)
        let failures = (failedSteps + buildFailures).filter { !healthy.contains($0.location.input) }
        // What a step printed broke nothing when the runner said that step succeeded.
        func inSucceededStep(_ event: Event) -> Bool {
            guard !succeededSteps.isEmpty, let step = event.step else { return false }
            return succeededSteps.contains("\(event.location.input)/\(step.key)")
        }
        let unclassifiedErrors = self.unclassifiedErrors.elements.filter {
            !healthy.contains($0.location.input) && !inSucceededStep($0) && !passing.clears($0)
        }
        var explainedFailures = Set<Int>()
        var hypotheses: [Hypothesis] = []
        var (groups, groupOrder) = Self.joiningSubjectless(groups, order: groupOrder, cap: evidenceCap)
        // A CI runner that groups steps (GitHub Actions, GitLab) reports every failed step; where
        // it reported none, a generic error mark (`fatal: No url found for submodule…` in a cleanup
        // step) broke nothing.
        let runnerInputs = Set(stepStarts.values.filter { $0.step?.key.hasPrefix("ci:") == true }.map(\.location.input))
        let quietRunners = runnerInputs.subtracting(failures.map(\.location.input))
        // What broke nothing is dropped: lines of a healthy input or of a step the runner says
        // succeeded, what a passing test or package printed, and generic marks where a runner saw no failure.
        if !healthy.isEmpty || !passedTests.isEmpty || !succeededSteps.isEmpty || !quietRunners.isEmpty || passing.anyPassed {
            for key in groupOrder {
                let generic = key.hasPrefix("build_step_failed|")
                groups[key]?.removeAll {
                    healthy.contains($0.location.input) || $0.testContext.map(passedTests.contains) == true || inSucceededStep($0)
                        || (generic && quietRunners.contains($0.location.input)) || passing.clears($0)
                }
            }
            groupOrder.removeAll { groups[$0]?.isEmpty ?? true }
        }
        var insideTestOutput: [Bool] = []
        for key in groupOrder {
            guard let events = groups[key], let cause = events.first?.cause, let definition = knowledge.causes[cause] else { continue }
            for incident in Self.incidents(events, window: knowledge.settings.correlationWindowSeconds, time: alignedTime) {
                var hypothesis = build(cause: cause, definition: definition, events: incident, failures: failures,
                                       errors: unclassifiedErrors, explainedFailures: &explainedFailures)
                weigh(&hypothesis, events: incident)
                hypotheses.append(hypothesis)
                let logLines = incident.filter { $0.location.frame == nil }
                insideTestOutput.append(!logLines.isEmpty && logLines.allSatisfy { $0.testContext != nil })
            }
        }
        Self.foldIntoTestFailure(&hypotheses, insideTestOutput: insideTestOutput,
                                 buildFailed: !failures.isEmpty || !unclassifiedErrors.isEmpty)
        hypotheses += unexplainedStepFailures(failures, explained: explainedFailures, errors: unclassifiedErrors)
        // Error lines no signature knows, and no failed step to hang them on: still a failure, never "nothing failed".
        if hypotheses.isEmpty, !unclassifiedErrors.isEmpty, let unknown = unknownFailure(unclassifiedErrors) {
            hypotheses.append(unknown)
        }
        for index in hypotheses.indices where ["build_step_failed", "npm_script_failed"].contains(hypotheses[index].cause) {
            refineByCommand(&hypotheses[index], unlessAlready: Set(hypotheses.map(\.cause)))
        }

        let logInputs = inputsSeen.subtracting(frameInputs)
        let logsFailed = !failures.isEmpty || !unclassifiedErrors.isEmpty
            || groups.values.joined().contains { $0.location.frame == nil && $0.severity >= .error && $0.testContext == nil }
        // Where logs are in the case, a capture's findings about a build that did not fail, or about
        // names and resolvers no log line names beside the logs' own failure, are one note, not causes.
        var alsoSeen: AlsoSeen?
        if !logInputs.isEmpty {
            let fromLogs = { (h: Hypothesis) in h.sources.contains { logInputs.contains($0) } }
            (hypotheses, alsoSeen) = asides.split(hypotheses, logsFailed: logsFailed,
                                                  captureOnly: { !$0.sources.isEmpty && !fromLogs($0) }, fromLogs: fromLogs)
        }
        // The same cause at the same resolver for several names is one incident.
        let titles = knowledge.causes.mapValues(\.title)
        hypotheses = ResolverIncidents.join(hypotheses, titles: titles, maxEvidence: knowledge.settings.maxEvidence,
                                            hasLogEvidence: { $0.evidence.contains { $0.line != nil } })
        if var aside = alsoSeen {
            aside.findings = ResolverIncidents.join(aside.findings, titles: titles, maxEvidence: 3, hasLogEvidence: { _ in false })
            alsoSeen = aside
        }
        // Evidence times on the reference clock, so a person can read them side by side.
        for h in hypotheses.indices {
            for e in hypotheses[h].evidence.indices {
                guard let input = inputPaths.firstIndex(of: hypotheses[h].evidence[e].input), let offset = offsets[input],
                      let seconds = hypotheses[h].evidence[e].time.seconds, hypotheses[h].evidence[e].time.clock == .absolute else { continue }
                hypotheses[h].evidence[e].time = EventTime(seconds: seconds - offset, clock: .absolute, origin: "aligned")
            }
        }
        // Where logs exist, they say whether the build failed; a capture alone speaks only through its findings.
        let errorSeen = logsFailed || (logInputs.isEmpty && groups.values.joined().contains { $0.severity >= .error })
        let failed = !hypotheses.isEmpty || errorSeen
        var ordered = timeline.elements
        for index in ordered.indices {
            if let offset = offsets[ordered[index].location.input], let seconds = ordered[index].time.seconds,
               ordered[index].time.clock == .absolute {
                ordered[index].time = EventTime(seconds: seconds - offset, clock: .absolute, origin: "aligned")
            }
        }
        ordered = TimelineMerge.merge(ordered, reorderWindow: knowledge.settings.reorderWindowEvents)
        var correlation = Correlation(verdict: failed ? .failure : .success, hypotheses: hypotheses, timeline: ordered,
                                      alignment: alignment, failureObserved: errorSeen)
        correlation.successObserved = !healthy.isEmpty || (toolSucceeded && !errorSeen)
        correlation.alsoSeen = alsoSeen
        return correlation
    }

    /// Splits a group's events into incidents: events more than `window`
    /// seconds apart on the aligned clock are separate incidents.
    /// Evidence that names no subject (yarn-error.log's bare `Error: connect ECONNREFUSED
    /// 10.98.0.1:8080`) joins the group of its cause that does, when there is exactly one:
    /// it is the same failure told without the host, not a second one.
    static func joiningSubjectless(_ groups: [String: [Event]], order: [String], cap: Int) -> ([String: [Event]], [String]) {
        var groups = groups
        var order = order
        for key in order where key.hasSuffix("|") {
            let cause = key.dropLast()
            let named = order.filter { $0 != key && $0.hasPrefix(cause + "|") }
            guard named.count == 1, let target = named.first, let events = groups[key] else { continue }
            groups[target, default: []] += events.prefix(max(0, cap - (groups[target]?.count ?? 0)))
            groups[key] = nil
            order.removeAll { $0 == key }
        }
        return (groups, order)
    }

    static func incidents(_ events: [Event], window: Double, time: (Event) -> Double?) -> [[Event]] {
        let timed = events.compactMap { e in time(e).map { (e, $0) } }
        guard timed.count == events.count, window > 0 else { return [events] }
        var result: [[Event]] = []
        var last: Double?
        for (event, t) in timed.sorted(by: { $0.1 < $1.1 }) {
            if let last, t - last > window { result.append([]) }
            if result.isEmpty { result.append([]) }
            result[result.count - 1].append(event)
            last = t
        }
        return result
    }

    private func build(cause: String, definition: CauseDefinition, events: [Event], failures: [Event], errors: [Event],
                       explainedFailures: inout Set<Int>) -> Hypothesis {
        // Log lines first (in line order; a runner's closing count after the lines that show the failure), then capture frames.
        let ordered = events.sorted { a, b in
            let fa = a.location.frame != nil, fb = b.location.frame != nil
            if fa != fb { return !fa }
            let sa = a.signature.map(summarySignatures.contains) ?? false, sb = b.signature.map(summarySignatures.contains) ?? false
            if sa != sb { return !sa }
            return (a.location.input, a.location.line ?? a.location.frame ?? 0) < (b.location.input, b.location.line ?? b.location.frame ?? 0)
        }
        var subjects = Subjects()
        for event in ordered { subjects.fill(from: event.subjects) }
        Self.listTests(ordered, into: &subjects)
        var evidence = Self.deduplicated(ordered.map { self.evidence($0, role: $0.signature ?? $0.kind.rawValue) })
        var explains: [String] = []
        var linked = false
        for (index, failure) in failures.enumerated() where ordered.contains(where: { Self.happened($0, in: failure) }) {
            explainedFailures.insert(index)
            linked = true
            subjects.fill(from: failure.subjects)
            if cause != "build_step_failed", !explains.contains("build_step_failed") { explains.append("build_step_failed") }
            evidence.append(self.evidence(failure, role: failure.kind == .stepFailed ? "step failed" : "build failed"))
        }
        let sources = Array(Set(ordered.map(\.location.input))).sorted()
        var confidence = Self.combined(ordered, sources: sources)
        if linked { confidence += 0.03 }
        if !ordered.contains(where: { $0.severity >= .error }) && failures.isEmpty { confidence *= 0.5 }
        if let step = ordered.first?.step, subjects[Subjects.Key.step] == nil {
            subjects[Subjects.Key.step] = step.name ?? stepStarts["\(ordered[0].location.input)/\(step.key)"]?.step?.name
        }
        let remedy = knowledge.remedy(for: cause, tools: tools)
        // A runner's closing count alone (`npm ERR! Test failed.`, `✖ 1 problem`) says that, not why:
        // the error lines printed just above it come first.
        let logEvents = ordered.filter { $0.location.frame == nil }
        if let first = logEvents.first, let firstLine = first.location.line,
           logEvents.allSatisfy({ $0.signature.map(summarySignatures.contains) ?? false }) {
            let above = errors.filter { error in
                guard error.location.input == first.location.input, let line = error.location.line,
                      !error.text.hasPrefix("npm ERR!"), !error.text.hasPrefix("npm error ") else { return false }
                return line < firstLine && firstLine - line <= 80
            }
            evidence.insert(contentsOf: above.prefix(3).map { self.evidence($0, role: "error") }, at: 0)
        }
        var hypothesis = Hypothesis(
            cause: cause, layer: definition.layer, confidence: min(0.99, max(0, confidence)),
            title: Template.expand(definition.title, subjects: subjects), subjects: subjects,
            evidence: Array(Self.deduplicated(evidence).prefix(knowledge.settings.maxEvidence)), explains: explains,
            remediation: remedy.remediation.map { Template.expandFix($0, subjects: subjects) },
            verify: remedy.verify.map { Template.expandCommand($0, subjects: subjects) })
        hypothesis.sources = sources
        return hypothesis
    }

    /// The strongest event's confidence, raised a little by corroborating lines
    /// and more by a second source that agrees (the sources are independent).
    static func combined(_ events: [Event], sources: [Int]) -> Double {
        var best: [Int: Double] = [:]
        for event in events { best[event.location.input] = max(best[event.location.input] ?? 0, event.confidence) }
        let ranked = best.values.sorted(by: >)
        guard var confidence = ranked.first else { return 0.5 }
        let lines = Set(events.map { "\($0.location.input)/\($0.location.line ?? $0.location.frame ?? 0)" }).count
        confidence += 0.02 * Double(min(max(lines - 1, 0), 2))
        if ranked.count > 1 { confidence += (1 - confidence) * 0.5 * ranked[1] }
        return confidence
    }

    /// Adds what the captures say about a log's network claim: a capture that
    /// answered the name the log could not resolve speaks against a DNS cause;
    /// a capture that resolved the host of an HTTP failure says the network
    /// below it was fine.
    private func weigh(_ hypothesis: inout Hypothesis, events: [Event]) {
        guard !observations.captureInputs.isEmpty, let host = hypothesis.subjects[Subjects.Key.host],
              events.contains(where: { $0.location.frame == nil }),
              !events.contains(where: { $0.location.frame != nil }) else { return }
        let (exact, _) = observations.lookup(host)
        guard let record = exact else { return }
        let place = (inputPaths.indices.contains(record.input) ? inputPaths[record.input] : "capture")
        let rcodes = record.rcodes.map { "\($0.key) \($0.value)" }.sorted().joined(separator: ", ")
        let summary = "\(record.queries) \(record.queries == 1 ? "query" : "queries") for \(host)"
            + (record.nameservers.isEmpty ? "" : " to \(record.nameservers.prefix(3).joined(separator: ", "))")
            + ": \(record.answered) answered\(rcodes.isEmpty ? "" : " (\(rcodes))"), \(record.unanswered) unanswered"
            + (record.answers.isEmpty ? "" : "; answers \(record.answers.joined(separator: ", "))")
        let item = Evidence(input: place, frame: record.firstFrame, time: record.firstTime.map(EventTime.absolute) ?? .unknown,
                            text: summary + " (\(record.frames))", role: "capture")
        switch hypothesis.layer {
        case .networkDNS:
            let cause = hypothesis.cause
            // npm's EAI_AGAIN names no resolver; the capture shows which one was asked.
            if hypothesis.subjects[Subjects.Key.nameserver] == nil, record.nameservers.count == 1,
               let definition = knowledge.causes[cause] {
                hypothesis.subjects[Subjects.Key.nameserver] = record.nameservers[0]
                let remedy = knowledge.remedy(for: cause, tools: tools)
                hypothesis.title = Template.expand(definition.title, subjects: hypothesis.subjects)
                hypothesis.remediation = remedy.remediation.map { Template.expandFix($0, subjects: hypothesis.subjects) }
                hypothesis.verify = remedy.verify.map { Template.expandCommand($0, subjects: hypothesis.subjects) }
            }
            let healthy = record.positive > 0 && record.unanswered == 0 && (record.rcodes["SERVFAIL"] ?? 0) == 0
                && (record.rcodes["REFUSED"] ?? 0) == 0 && (record.rcodes["NXDOMAIN"] ?? 0) == 0
            if healthy {
                hypothesis.against.append(item)
                hypothesis.confidence *= 0.35
            } else if (cause == "dns_server_unreachable" && record.unanswered > 0)
                        || (cause == "dns_nxdomain" && (record.rcodes["NXDOMAIN"] ?? 0) > 0)
                        || (cause == "dns_servfail" && (record.rcodes["SERVFAIL"] ?? 0) > 0) {
                hypothesis.evidence.insert(item, at: min(1, hypothesis.evidence.count))
                hypothesis.confidence = min(0.99, hypothesis.confidence + (1 - hypothesis.confidence) * 0.5)
            }
        case .networkTCP, .networkTLS, .networkProxy, .networkHTTP:
            if record.positive > 0, record.unanswered == 0 {
                hypothesis.evidence.append(Evidence(input: item.input, frame: item.frame, time: item.time,
                                                    text: item.text + ": name resolution was fine", role: "capture"))
                hypothesis.confidence = min(0.99, hypothesis.confidence + 0.03)
            }
        default:
            break
        }
        if !hypothesis.sources.contains(record.input) { hypothesis.sources.append(record.input) }
    }

    private func unexplainedStepFailures(_ failures: [Event], explained: Set<Int>, errors: [Event]) -> [Hypothesis] {
        guard let definition = knowledge.causes["build_step_failed"] else { return [] }
        var result: [Hypothesis] = []
        for (index, failure) in failures.enumerated() where !explained.contains(index) {
            if failure.kind == .buildFailed, failures.contains(where: { $0.kind == .stepFailed && $0.location.input == failure.location.input }) { continue }
            var subjects = failure.subjects
            // What the step printed as errors comes first: the runner's exit line only supports it.
            var evidence = errors.filter { Self.happened($0, in: failure) }.map { self.evidence($0, role: "error") }
            evidence.append(self.evidence(failure, role: "step failed"))
            if let step = failure.step, let start = stepStarts["\(failure.location.input)/\(step.key)"] {
                subjects[Subjects.Key.step] = subjects[Subjects.Key.step] ?? start.step?.name
                evidence.append(self.evidence(start, role: "step"))
            }
            for location in dockerfileLocations where location.location.input == failure.location.input {
                subjects[Subjects.Key.path] = subjects[Subjects.Key.path] ?? location.subjects[Subjects.Key.path]
            }
            let remedy = knowledge.remedy(for: "build_step_failed", tools: tools.union(wrapperTools))
            var hypothesis = Hypothesis(
                cause: "build_step_failed", layer: definition.layer, confidence: 0.6,
                title: Template.expand(definition.title, subjects: subjects), subjects: subjects,
                evidence: Array(Self.deduplicated(evidence).prefix(knowledge.settings.maxEvidence)),
                remediation: remedy.remediation.map { Template.expandFix($0, subjects: subjects) },
                verify: remedy.verify.map { Template.expandCommand($0, subjects: subjects) })
            hypothesis.sources = [failure.location.input]
            result.append(hypothesis)
        }
        return result
    }

    /// A cause seen only inside a failing test's own output (a test that dials a server it
    /// started and gets `connection refused`) is part of that test failure, not a cause that
    /// outranks it: it joins the test failure's evidence and `explains`. With no test failure
    /// and nothing else failed, what the tests printed broke nothing and is dropped.
    static func foldIntoTestFailure(_ hypotheses: inout [Hypothesis], insideTestOutput: [Bool], buildFailed: Bool) {
        guard let target = hypotheses.firstIndex(where: { ["go_test_failed", "test_failed"].contains($0.cause) }) else {
            if !buildFailed {
                hypotheses = hypotheses.indices.filter { !($0 < insideTestOutput.count && insideTestOutput[$0] && hypotheses[$0].layer != .build) }
                    .map { hypotheses[$0] }
            }
            return
        }
        var folded: [Int] = []
        for index in hypotheses.indices where index < insideTestOutput.count && insideTestOutput[index]
            && index != target && hypotheses[index].layer != .build {
            let inside = hypotheses[index]
            // After the lead (the failing test's name), before the runner's closing lines.
            var position = min(1, hypotheses[target].evidence.count)
            for item in inside.evidence where !hypotheses[target].evidence.contains(where: { $0.input == item.input && $0.line == item.line }) {
                var item = item
                item.role = "inside the failing test's output: " + (item.role ?? inside.cause)
                hypotheses[target].evidence.insert(item, at: position)
                position += 1
            }
            if !hypotheses[target].explains.contains(inside.cause) { hypotheses[target].explains.append(inside.cause) }
            folded.append(index)
        }
        hypotheses[target].evidence = Array(hypotheses[target].evidence.prefix(8))
        for index in folded.reversed() { hypotheses.remove(at: index) }
    }

    /// A failure no signature explains, shown by the error lines the log printed.
    private func unknownFailure(_ errors: [Event]) -> Hypothesis? {
        guard let definition = knowledge.causes["build_step_failed"] else { return nil }
        var subjects = Subjects()
        for error in errors { subjects.fill(from: error.subjects) }
        if subjects[Subjects.Key.step] == nil, let step = errors.first?.step?.name { subjects[Subjects.Key.step] = step }
        let remedy = knowledge.remedy(for: "build_step_failed", tools: tools.union(wrapperTools))
        var hypothesis = Hypothesis(
            cause: "build_step_failed", layer: definition.layer, confidence: 0.5,
            title: Template.expand(definition.title, subjects: subjects), subjects: subjects,
            evidence: Array(Self.deduplicated(errors.map { evidence($0, role: "error") }).prefix(knowledge.settings.maxEvidence)),
            remediation: remedy.remediation.map { Template.expandFix($0, subjects: subjects) },
            verify: remedy.verify.map { Template.expandCommand($0, subjects: subjects) })
        hypothesis.sources = Array(Set(errors.map(\.location.input))).sorted()
        return hypothesis
    }

    /// A failure of unknown cause whose failed command names a tool (`npm run lint`,
    /// `go test ./...`) is that tool's failure: the packs' `commands:` rules say which.
    private func refineByCommand(_ hypothesis: inout Hypothesis, unlessAlready present: Set<String>) {
        let subjects = hypothesis.subjects
        let command = subjects["script"].map { "npm run " + $0 } ?? subjects["command"] ?? subjects[Subjects.Key.step]
            ?? subjects["target"].map { "make " + $0 }
        guard let command, let cause = knowledge.commands.cause(of: command), !present.contains(cause),
              let definition = knowledge.causes[cause] else { return }
        let remedy = knowledge.remedy(for: cause, tools: tools.union(wrapperTools))
        hypothesis.cause = cause
        hypothesis.layer = definition.layer
        hypothesis.title = Template.expand(definition.title, subjects: subjects)
        hypothesis.remediation = remedy.remediation.map { Template.expandFix($0, subjects: subjects) }
        hypothesis.verify = remedy.verify.map { Template.expandCommand($0, subjects: subjects) }
        if !hypothesis.explains.contains("build_step_failed") { hypothesis.explains.append("build_step_failed") }
    }

    /// The failing tests a group's lines name, in line order: `test` is the first,
    /// `tests` lists up to five (and how many more), `failed_tests` is their number
    /// or the largest count a runner's summary gave.
    static func listTests(_ events: [Event], into subjects: inout Subjects) {
        var names: [String] = []
        var counted = 0
        for event in events {
            if let name = event.subjects["test"], !names.contains(name), names.count < 1000 { names.append(name) }
            if let count = event.subjects["failed_tests"].flatMap({ Int($0) }) { counted = max(counted, count) }
        }
        guard !names.isEmpty || counted > 0 else { return }
        let total = max(counted, names.count)
        subjects["failed_tests"] = String(total)
        if let first = names.first { subjects["test"] = first }
        if !names.isEmpty {
            let shown = names.prefix(5).joined(separator: ", ")
            subjects["tests"] = total > 5 ? "\(shown) (+\(total - min(5, names.count)) more)" : shown
        }
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

    static func deduplicated(_ evidence: [Evidence]) -> [Evidence] {
        var seen = Set<String>()
        return evidence.filter { seen.insert("\($0.input)|\($0.line ?? -1)|\($0.frame ?? -1)").inserted }
    }
}
