public import FaultlineReport
public import FaultlineRules

extension ReportCatalogue {
    /// The renderers' view of a knowledge base's cause catalogue: each cause's
    /// title template with its subject placeholders left out, and whether it is a symptom.
    public init(_ knowledge: KnowledgeBase) {
        self.init(knowledge.causes.values.map {
            Cause(id: $0.id, title: Self.plainTitle($0.title), layer: $0.layer, isSymptom: $0.isSymptom)
        })
    }

    /// `Resolver[[ {nameserver}]] never answered[[ for {host}]]` → `Resolver never answered`.
    static func plainTitle(_ template: String) -> String {
        var out = ""
        var depth = 0, inBrace = false
        var chars = Array(template)[...]
        while let c = chars.first {
            if chars.starts(with: ["[", "["]) { depth += 1; chars = chars.dropFirst(2); continue }
            if chars.starts(with: ["]", "]"]), depth > 0 { depth -= 1; chars = chars.dropFirst(2); continue }
            chars = chars.dropFirst()
            if depth > 0 { continue }
            if c == "{" { inBrace = true; continue }
            if c == "}" { inBrace = false; continue }
            if !inBrace { out.append(c) }
        }
        return out.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
