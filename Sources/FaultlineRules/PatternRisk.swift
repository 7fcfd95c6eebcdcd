/// Finds the shape that makes a regular expression backtrack catastrophically:
/// a group with an unbounded quantifier inside (`+`, `*`, `{n,}`) that is itself
/// repeated without bound — `^(a+)+$`, `(?:\w*\s?)*`. Atomic groups (`(?>…)`)
/// and possessive inner quantifiers (`a++`) cannot backtrack and are not reported.
///
/// Reading ICU syntax only as far as needed: escapes, character classes
/// (nested), groups.
public enum PatternRisk {
    /// The offset (in characters) of each `)` that closes a nested repetition.
    public static func nestedQuantifiers(in pattern: String) -> [Int] {
        let chars = Array(pattern)
        var found: [Int] = []
        // Per open group: whether it holds an unbounded quantifier, and whether it is atomic.
        var groups: [(unbounded: Bool, atomic: Bool)] = []
        var i = 0
        var classDepth = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                i += 2
                continue
            }
            if classDepth > 0 {
                if c == "[" { classDepth += 1 } else if c == "]" { classDepth -= 1 }
                i += 1
                continue
            }
            switch c {
            case "[":
                classDepth = 1
                // A `]` right after `[` or `[^` is a literal.
                if i + 1 < chars.count, chars[i + 1] == "^" { i += 1 }
                if i + 1 < chars.count, chars[i + 1] == "]" { i += 1 }
            case "(":
                let atomic = i + 2 < chars.count && chars[i + 1] == "?" && chars[i + 2] == ">"
                groups.append((false, atomic))
            case ")":
                guard let group = groups.popLast() else { break }
                let repeated = isUnboundedQuantifier(chars, at: i + 1)
                if repeated && group.unbounded && !group.atomic { found.append(i) }
                // The outer group holds an unbounded repetition if this group is one or holds one.
                if (repeated || group.unbounded) && !group.atomic, !groups.isEmpty { groups[groups.count - 1].unbounded = true }
            case "+", "*", "{":
                let end = c == "{" ? (chars[i...].firstIndex(of: "}") ?? i) : i
                let possessive = end + 1 < chars.count && chars[end + 1] == "+"
                if isUnboundedQuantifier(chars, at: i), !groups.isEmpty, !possessive {
                    groups[groups.count - 1].unbounded = true
                }
                i = possessive ? end + 1 : end
            default:
                break
            }
            i += 1
        }
        return found
    }

    /// `+`, `*` or `{n,}` at `index`.
    static func isUnboundedQuantifier(_ chars: [Character], at index: Int) -> Bool {
        guard index < chars.count else { return false }
        switch chars[index] {
        case "+", "*": return true
        case "{":
            guard let close = chars[index...].firstIndex(of: "}") else { return false }
            let body = chars[(index + 1)..<close]
            return body.last == "," && body.dropLast().allSatisfy(\.isNumber) && body.count > 1
        default: return false
        }
    }
}
