public import FaultlineCore
public import FaultlineRules

/// The rank stage: folds a hypothesis into another that the catalogue says
/// explains it (for the same subjects), then orders what is left: root causes
/// before symptoms, the deepest layer first, then by confidence.
public struct LayerRanker: Ranking {
    private let causes: [String: CauseDefinition]
    private let minConfidence: Double
    private let maxEvidence: Int

    public init(knowledge: KnowledgeBase) {
        causes = knowledge.causes
        minConfidence = knowledge.settings.minConfidence
        maxEvidence = knowledge.settings.maxEvidence
    }

    public func rank(_ input: [Hypothesis]) -> [Hypothesis] {
        var hypotheses = input
        var folded = Set<Int>()
        for i in hypotheses.indices {
            let explains = causes[hypotheses[i].cause]?.explains ?? []
            for j in hypotheses.indices where i != j && !folded.contains(j) && !folded.contains(i) {
                // A symptom (a failed step) is the same build's, whatever host its own lines name.
                let symptom = causes[hypotheses[j].cause]?.isSymptom ?? false
                guard explains.contains(hypotheses[j].cause),
                      symptom || Self.compatible(hypotheses[i].subjects, hypotheses[j].subjects) else { continue }
                folded.insert(j)
                for cause in [hypotheses[j].cause] + hypotheses[j].explains where !hypotheses[i].explains.contains(cause) {
                    hypotheses[i].explains.append(cause)
                }
                // The symptom's evidence is now evidence for its cause, after the cause's own.
                var seen = Set(hypotheses[i].evidence.map { "\($0.input)|\($0.line ?? -1)|\($0.frame ?? -1)" })
                for item in hypotheses[j].evidence where seen.insert("\(item.input)|\(item.line ?? -1)|\(item.frame ?? -1)").inserted {
                    hypotheses[i].evidence.append(item)
                }
                hypotheses[i].evidence = Array(hypotheses[i].evidence.prefix(maxEvidence + 2))
                hypotheses[i].subjects.fill(from: hypotheses[j].subjects)
                let agreeing = !Set(hypotheses[j].sources).subtracting(hypotheses[i].sources).isEmpty
                hypotheses[i].sources = Array(Set(hypotheses[i].sources + hypotheses[j].sources)).sorted()
                let boost = agreeing ? (1 - hypotheses[i].confidence) * 0.5 * hypotheses[j].confidence : 0.02
                hypotheses[i].confidence = min(0.99, hypotheses[i].confidence + boost)
            }
        }
        return hypotheses.indices
            .filter { !folded.contains($0) && hypotheses[$0].confidence >= minConfidence }
            .map { hypotheses[$0] }
            .sorted { a, b in
                let symptomA = causes[a.cause]?.isSymptom ?? false
                let symptomB = causes[b.cause]?.isSymptom ?? false
                if symptomA != symptomB { return !symptomA }
                if a.layer != b.layer { return a.layer < b.layer }
                return a.confidence > b.confidence
            }
    }

    /// Two hypotheses are about the same thing unless a shared subject differs.
    static func compatible(_ a: Subjects, _ b: Subjects) -> Bool {
        for key in [Subjects.Key.host, Subjects.Key.module, Subjects.Key.nameserver] {
            if let x = a[key], let y = b[key], x.lowercased() != y.lowercased() { return false }
        }
        return true
    }
}
