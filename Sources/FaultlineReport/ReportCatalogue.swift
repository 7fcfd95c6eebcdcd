public import FaultlineCore

/// What the renderers know about the cause catalogue: a readable title per
/// cause id and whether the cause is a symptom (like `build_step_failed`)
/// rather than a root cause. SARIF rules and GitHub annotation levels come
/// from it; the `Faultline` module builds one from a `KnowledgeBase`.
public struct ReportCatalogue: Sendable {
    /// One cause of the catalogue, as a report shows it.
    public struct Cause: Sendable, Hashable {
        public var id: String
        /// The title with its subject placeholders left out (`Resolver never answered`).
        public var title: String
        public var layer: Layer
        public var isSymptom: Bool

        public init(id: String, title: String, layer: Layer, isSymptom: Bool) {
            self.id = id
            self.title = title
            self.layer = layer
            self.isSymptom = isSymptom
        }
    }

    public var causes: [String: Cause]

    public init(_ causes: [Cause] = []) {
        self.causes = Dictionary(causes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether `cause` is a symptom; without a catalogue entry only `build_step_failed` is.
    public func isSymptom(_ cause: String) -> Bool {
        causes[cause]?.isSymptom ?? (cause == "build_step_failed")
    }

    /// The catalogue's title for `cause`, or the id itself.
    public func title(_ cause: String) -> String {
        guard let title = causes[cause]?.title, !title.isEmpty else { return cause }
        return title
    }
}
