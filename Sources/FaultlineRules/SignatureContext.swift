import Foundation
public import FaultlineCore

/// Where a signature's line finds the subjects it does not state itself: in
/// the lines just before it. Tools split one failure over several lines — Go
/// names the module (`go: example.com/m@v1.2.0: git ls-remote … exit status
/// 128:`) and git's own message follows on the next line without it; npm's
/// debug log names the request (`http request GET https://registry…`) a few
/// lines above `getaddrinfo EAI_AGAIN`; npm's error block puts `path` above
/// the sentence that explains it.
///
/// Declared in a pack beside the signature:
/// ```yaml
/// context:
///   lines: 3                       # how far back to look (1–20)
///   anchors: ["exit status 128"]   # what such a line holds (also scanned for)
///   patterns:                      # named groups become subjects the line lacks
///     - '^go: (?<module>[^\s@]+)@(?<version>[^\s:]+): '
/// ```
/// The nearest earlier line of the same input wins; a subject the line itself
/// states is never replaced. A context pattern sees the same 8K window and has
/// the same time per line as a signature's (`PatternBudget`); one that runs
/// over gives nothing.
public struct SignatureContext: Sendable {
    /// How many lines back a context line may be.
    public var lines: Int
    /// Literals a context line holds (one of them); the prefilter scans for them too.
    public var anchors: [String]
    /// ICU patterns whose named groups fill the subjects.
    public var patterns: [String]

    public init(lines: Int, anchors: [String], patterns: [String]) {
        self.lines = lines
        self.anchors = anchors
        self.patterns = patterns
    }

    /// The context compiled once, ready to read lines.
    public struct Compiled: @unchecked Sendable {
        // NSRegularExpression is immutable once built and documented as thread-safe.
        public let lines: Int
        let anchors: [String]
        let patterns: [(regex: NSRegularExpression, groups: [String])]

        init(_ context: SignatureContext) {
            lines = context.lines
            anchors = context.anchors
            patterns = context.patterns.compactMap { pattern in
                (try? NSRegularExpression(pattern: pattern)).map { ($0, SignatureMatcher.groupNames(in: pattern)) }
            }
        }

        /// The subjects `text` gives, if it is a context line at all.
        public func subjects(from text: String) -> Subjects? {
            guard let anchor = anchors.first(where: { text.contains($0) }) else { return nil }
            var subjects = Subjects()
            let range = SignatureMatcher.window(text, around: anchor)
            for (regex, groups) in patterns {
                // Held to the rules' time per line (`PatternBudget`): a runaway context pattern gives nothing.
                guard case .matched(let found) = BoundedRegex.firstMatch(regex, in: text, range: range,
                                                                         limit: PatternBudget.defaultLimit) else { continue }
                SignatureMatcher.fill(&subjects, groups: groups, of: found, in: text)
            }
            return subjects.isEmpty ? nil : subjects
        }
    }
}
