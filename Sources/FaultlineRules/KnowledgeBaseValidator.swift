import Foundation
import FaultlineCore

/// Checks a loaded knowledge base beyond its syntax: every signature must
/// match each of its own examples, and no earlier signature may take an
/// example away from it (shadowing); every cause a signature names needs a
/// remedy somewhere; a pattern with a nested quantifier is a warning
/// (`PatternRisk`). A cycle in `explains` is rejected when the catalogue loads.
public enum KnowledgeBaseValidator {
    /// A finding; errors make `faultline pipelines validate` fail.
    public struct Finding: Sendable, CustomStringConvertible {
        public var error: RuleError
        public var isWarning: Bool
        public var description: String {
            isWarning ? error.description.replacingOccurrences(of: ": error: ", with: ": warning: ") : error.description
        }
    }

    public static func check(_ base: KnowledgeBase) -> [Finding] {
        var findings: [Finding] = []
        let matcher = base.matcher
        for signature in base.signatures {
            if signature.examples.isEmpty {
                findings.append(Finding(error: RuleError(file: signature.file, line: signature.line,
                    message: "signature '\(signature.id)' has no example line to check it against"), isWarning: true))
            }
            if let pattern = signature.pattern, !PatternRisk.nestedQuantifiers(in: pattern).isEmpty {
                findings.append(Finding(error: RuleError(file: signature.file, line: signature.line,
                    message: "signature '\(signature.id)': pattern repeats a group that itself repeats (a nested quantifier, as in ^(a+)+$): "
                        + "matching can take exponential time on a line that almost matches; use a possessive quantifier (a++) or an atomic group (?>…)"),
                    isWarning: true))
            }
            for example in signature.examples {
                let matches = matcher.allMatches(example)
                if !matches.contains(where: { $0.signature.id == signature.id }) {
                    findings.append(Finding(error: RuleError(file: signature.file, line: signature.line,
                        message: "signature '\(signature.id)' does not match its example: \(example)"), isWarning: false))
                } else if let first = matches.first, first.signature.id != signature.id, first.signature.cause != signature.cause {
                    findings.append(Finding(error: RuleError(file: signature.file, line: signature.line,
                        message: "signature '\(signature.id)' is shadowed by earlier '\(first.signature.id)' (\(first.signature.cause)) on its example: \(example)"),
                        isWarning: false))
                }
            }
        }
        let named = Set(base.signatures.map(\.cause))
        for cause in named.sorted() where base.remedy(for: cause, tools: []).remediation.isEmpty {
            findings.append(Finding(error: RuleError(file: base.pipelineFile,
                message: "cause '\(cause)' has signatures but no pack gives a remedy for it"), isWarning: true))
        }
        return findings
    }
}
