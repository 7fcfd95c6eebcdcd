import Foundation

/// Names the cause of a failed command from the command itself — `npm run lint`
/// is a linter, `go test ./...` the tests — using the packs' `commands:` rules
/// in order. Used only when nothing in the command's output named a cause.
public struct CommandClassifier: Sendable {
    struct Compiled: @unchecked Sendable {
        // NSRegularExpression is immutable once built and documented as thread-safe.
        let rule: CommandRule
        let regex: NSRegularExpression
    }

    let compiled: [Compiled]

    public init(rules: [CommandRule]) {
        compiled = rules.compactMap { rule in
            (try? NSRegularExpression(pattern: rule.pattern)).map { Compiled(rule: rule, regex: $0) }
        }
    }

    /// The cause the first matching rule gives `command`, or nil.
    public func cause(of command: String) -> String? {
        let range = NSRange(command.startIndex..., in: command)
        return compiled.first { $0.regex.firstMatch(in: command, range: range) != nil }?.rule.cause
    }
}
