public import FaultlineCore
public import FaultlineRules

/// The normalise stage: gives each decoded line its meaning — cause, layer,
/// severity, confidence and subjects — from the knowledge base's signatures
/// (a request that failed on its way through a proxy the line does not name is
/// the proxy's failure: `ProxyHop`). A line that leaves a subject to the lines
/// before it (`SignatureContext`) takes it from them (`PrecedingLines`).
/// Structural events (step starts and failures) pass through unchanged.
/// A rule whose pattern overruns its time on a line (`PatternBudget`) is
/// reported in `diagnostics` and not tried again in the case.
public struct NormaliseStage: EventStage {
    public let name = StageName.normalise
    private let matcher: SignatureMatcher
    private let extractor = SubjectExtractor.shared
    private let causes: [String: CauseDefinition]
    private let contexts: [String: SignatureContext.Compiled]
    private var preceding = PrecedingLines()
    /// The case's inputs by index, to say where a pattern overran.
    private let inputPaths: [String]
    private var budget: PatternBudget

    public init(knowledge: KnowledgeBase, inputPaths: [String] = [], patternBudget: PatternBudget = PatternBudget()) {
        matcher = knowledge.matcher
        causes = knowledge.causes
        contexts = knowledge.contexts
        self.inputPaths = inputPaths
        budget = patternBudget
    }

    /// The rules whose pattern overran its time on some line, once each.
    public var diagnostics: [Diagnostic] { budget.diagnostics }

    public mutating func process(_ events: inout [Event]) {
        let paths = inputPaths
        for index in events.indices where events[index].kind == .logLine && events[index].cause == nil {
            defer { if !contexts.isEmpty { preceding.remember(events[index]) } }
            guard let match = matcher.match(events[index].text, budget: &budget, place: Self.place(of: events[index], in: paths))
            else { continue }
            var subjects = match.subjects
            extractor.fill(&subjects, from: events[index].text)
            if let context = contexts[match.signature.id] {
                preceding.fill(&subjects, for: events[index], context: context)
                if subjects[Subjects.Key.host] == nil, let host = subjects[Subjects.Key.url].flatMap(SubjectExtractor.host(ofURL:)) {
                    subjects.borrow(from: Subjects([Subjects.Key.host: host]))
                }
            }
            events[index].subjects.fill(from: subjects)
            var cause = match.signature.cause
            if let proxy = ProxyHop.proxy(cause: cause, subjects: events[index].subjects, text: events[index].text),
               causes[ProxyHop.proxyCause] != nil {
                cause = ProxyHop.proxyCause
                events[index].subjects[Subjects.Key.host] = events[index].subjects[Subjects.Key.url].flatMap(SubjectExtractor.host(ofURL:))
                events[index].subjects[Subjects.Key.proxy] = proxy
            }
            events[index].cause = cause
            events[index].signature = match.signature.id
            events[index].layer = causes[cause]?.layer
            events[index].severity = max(events[index].severity, match.signature.severity)
            events[index].confidence = match.signature.confidence
        }
    }

    public mutating func finish(_ events: inout [Event]) {}

    /// `line 12 of build.log`, for a pattern that overran there.
    private static func place(of event: Event, in inputPaths: [String]) -> String? {
        let input = event.location.input
        let name = inputPaths.indices.contains(input) ? inputPaths[input] : "input \(input + 1)"
        return event.location.line.map { "line \($0) of \(name)" } ?? name
    }
}
