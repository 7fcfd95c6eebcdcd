/// A batch that cannot start: bad options, named before any case is read.
public enum BatchError: Error, Sendable, CustomStringConvertible {
    /// `--case-key` is not a regular expression.
    case badCaseKey(String, String)
    /// `--shard` is not `K/N` with 1 ≤ K ≤ N.
    case badShard(String)

    public var description: String {
        switch self {
        case .badCaseKey(let pattern, let why): return "--case-key '\(pattern)' is not a regular expression: \(why)"
        case .badShard(let text): return "--shard '\(text)' must be K/N with 1 <= K <= N, such as 2/8"
        }
    }
}
