import Foundation
public import FaultlineCore

/// Classifies a decoded line with the knowledge base's signatures, in order:
/// the first signature whose literals are all present, none of whose excluded
/// literals is, and whose pattern (if any) matches, wins. The pattern's named
/// groups become the event's subjects. A pattern sees at most
/// `patternWindow` characters of a line, around its anchor, and may spend at
/// most its `PatternBudget` on a line: one that overruns is stopped, reported
/// and not tried again in the case.
///
/// Runs only on the rare lines the prefilter let through, so it may use
/// `String` and regular expressions.
public struct SignatureMatcher: Sendable {
    /// A signature ready to match.
    struct Compiled: @unchecked Sendable {
        // NSRegularExpression is immutable once built and documented as thread-safe.
        let signature: Signature
        let regex: NSRegularExpression?
        let groups: [String]
    }

    /// A match: the signature and the subjects its pattern captured.
    public struct Match: Sendable {
        public var signature: Signature
        public var subjects: Subjects
    }

    let compiled: [Compiled]

    public init(signatures: [Signature]) {
        compiled = signatures.map { signature in
            let regex = signature.pattern.flatMap { try? NSRegularExpression(pattern: $0) }
            return Compiled(signature: signature, regex: regex, groups: Self.groupNames(in: signature.pattern ?? ""))
        }
    }

    /// The first signature that matches `text`, each pattern held to the default budget.
    public func match(_ text: String) -> Match? {
        var budget = PatternBudget()
        return match(text, budget: &budget)
    }

    /// The first signature that matches `text`. A signature whose pattern overruns `budget` is
    /// recorded there (with `place`, the line's whereabouts, for its message), passed over on
    /// this line and never tried again with the same budget.
    public func match(_ text: String, budget: inout PatternBudget, place: @autoclosure () -> String? = nil) -> Match? {
        var first: Match?
        tryInOrder(text, budget: &budget, place: place) { match in
            first = match
            return false
        }
        return first
    }

    /// Every signature that matches `text`, in order (for validation and `--explain`).
    public func allMatches(_ text: String) -> [Match] {
        var budget = PatternBudget()
        return allMatches(text, budget: &budget)
    }

    /// `allMatches`, recording in `budget` the signatures whose pattern overran it.
    public func allMatches(_ text: String, budget: inout PatternBudget) -> [Match] {
        var matches: [Match] = []
        tryInOrder(text, budget: &budget, place: { nil }) { match in
            matches.append(match)
            return true
        }
        return matches
    }

    /// Tries the signatures `budget` still allows in order, handing each match to `body`
    /// until it answers false.
    private func tryInOrder(_ text: String, budget: inout PatternBudget, place: () -> String?, _ body: (Match) -> Bool) {
        for index in compiled.indices where budget.allows(index) {
            switch Self.apply(compiled[index], to: text, limit: budget.limit) {
            case .matched(let subjects):
                if !body(Match(signature: compiled[index].signature, subjects: subjects)) { return }
            case .none:
                continue
            case .overran:
                budget.overran(index, signature: compiled[index].signature, place: place())
            }
        }
    }

    /// What trying one signature on a line came to.
    enum Outcome {
        case matched(Subjects)
        case none
        /// The pattern overran its budget.
        case overran
    }

    static func apply(_ entry: Compiled, to text: String, limit: Duration) -> Outcome {
        for literal in entry.signature.all where !text.contains(literal) { return .none }
        for literal in entry.signature.none where text.contains(literal) { return .none }
        var subjects = Subjects()
        if let regex = entry.regex {
            let found: NSTextCheckingResult
            switch BoundedRegex.firstMatch(regex, in: text, range: window(text, around: entry.signature.anchor), limit: limit) {
            case .matched(let match): found = match
            case .none: return .none
            case .overran: return .overran
            }
            Self.fill(&subjects, groups: entry.groups, of: found, in: text)
        }
        return .matched(subjects)
    }

    /// Fills `subjects` from the named `groups` that `found` captured in `text` (the first group
    /// of a subject that matched wins; a subject already set is kept).
    static func fill(_ subjects: inout Subjects, groups: [String], of found: NSTextCheckingResult, in text: String) {
        for name in groups {
            let groupRange = found.range(withName: name)
            let key = subjectKey(forGroup: name)
            if subjects[key] == nil, groupRange.location != NSNotFound, let r = Range(groupRange, in: text), !r.isEmpty {
                subjects[key] = normalised(String(text[r]), key: key)
            }
        }
    }

    /// The most of a line (UTF-16 units) a pattern sees: the part around the anchor literal, so a
    /// pattern that backtracks badly costs at most this much per line whatever the line's length.
    public static let patternWindow = 8192

    /// The whole of `text`, or `patternWindow` units of it centred on the first `anchor`.
    static func window(_ text: String, around anchor: String) -> NSRange {
        let length = text.utf16.count
        guard length > patternWindow else { return NSRange(location: 0, length: length) }
        let at = text.range(of: anchor).map { NSRange($0, in: text).location } ?? 0
        let start = max(0, min(at - patternWindow / 2, length - patternWindow))
        return NSRange(location: start, length: patternWindow)
    }

    /// A captured value as a subject: a package name read from a registry URL
    /// (`@pm2%2fagent`) is percent-decoded, so the same package taken from a
    /// URL and from npm's own message (`@pm2/agent`) is one subject.
    static func normalised(_ value: String, key: String) -> String {
        guard key == Subjects.Key.package, value.contains("%") else { return value }
        return value.removingPercentEncoding ?? value
    }

    /// The subject a group fills. ICU forbids two groups of one name (and
    /// underscores in names), so `moduleAlt` or `moduleAlt2` is another way to
    /// capture `module`; the first that matched wins. A camel-case name is the
    /// snake-case subject: `exitCode` fills `exit_code`, `failedTests` `failed_tests`.
    static func subjectKey(forGroup name: String) -> String {
        var trimmed = name
        while let last = trimmed.last, last.isNumber { trimmed.removeLast() }
        let base = trimmed.hasSuffix("Alt") && trimmed.count > 3 ? String(trimmed.dropLast(3)) : name
        guard base.contains(where: \.isUppercase) else { return base }
        var key = ""
        for character in base {
            if character.isUppercase {
                key += "_" + character.lowercased()
            } else {
                key.append(character)
            }
        }
        return key
    }

    /// Names of `(?<name>…)` groups in an ICU pattern.
    static func groupNames(in pattern: String) -> [String] {
        var names: [String] = []
        var rest = pattern[...]
        while let open = rest.range(of: "(?<") {
            let after = rest[open.upperBound...]
            if let first = after.first, first != "=", first != "!", let close = after.firstIndex(of: ">") {
                names.append(String(after[..<close]))
            }
            rest = after
        }
        return names
    }
}
