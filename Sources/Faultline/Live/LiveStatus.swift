public import FaultlineCore

/// What `watch` and `run` say while a case is still open: the top hypothesis
/// of a snapshot in one line — cause, what it is about, the line that shows
/// it and the fix.
public struct LiveStatus: Sendable, Equatable {
    public var cause: String
    /// The title filled from the subjects (`Resolver 10.99.1.53:53 never answered for proxy.golang.org`).
    public var title: String
    /// What the hypothesis is about, for telling one from a revision of it.
    public var subject: String
    /// Where the best evidence is: `input:line` or `input: frame N`.
    public var place: String?
    /// The first remediation step, on one line.
    public var fix: String?
    public var confidence: Double

    /// The status of a snapshot's top hypothesis, or nil while there is none.
    public init?(_ correlation: Correlation) {
        guard let top = correlation.hypotheses.first else { return nil }
        cause = top.cause
        title = Self.oneLine(top.title)
        subject = Self.subjectKey(top.subjects)
        confidence = top.confidence
        if let evidence = top.evidence.first {
            let input = evidence.input == "-" ? "stdin" : evidence.input
            if let line = evidence.line {
                place = "\(input):\(line)"
            } else if let frame = evidence.frame {
                place = "\(input): frame \(frame)"
            } else {
                place = input
            }
        }
        fix = top.remediation.first.map(Self.oneLine)
    }

    /// Whether `other` names a different cause or subject (a new top hypothesis, not a refinement).
    public func differs(from other: LiveStatus?) -> Bool {
        guard let other else { return true }
        return other.cause != cause || other.subject != subject
    }

    /// `faultline: dns_server_unreachable: Resolver … never answered for … (stdin:31) — fix: …`,
    /// every byte from the input made printable.
    public var line: String {
        var text = "faultline: \(cause): \(title)"
        if let place { text += " (\(place))" }
        if let fix { text += " — fix: \(fix)" }
        return Self.printable(text)
    }

    /// The subject correlation groups by: the host, else the module, package, path or lock.
    static func subjectKey(_ subjects: Subjects) -> String {
        for key in [Subjects.Key.host, Subjects.Key.module, Subjects.Key.package, Subjects.Key.path, "lock"] {
            if let value = subjects[key] { return value.lowercased() }
        }
        return ""
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
    }

    /// Control characters (an escape sequence from a log), line separators and direction
    /// overrides shown as `?`, so a status can neither drive the terminal nor reorder its line.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            InertText.isInvisible(scalar.value) ? "?" : scalar
        }))
    }
}
