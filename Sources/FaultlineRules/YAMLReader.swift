import Yams

/// Reads typed fields from a YAML mapping, collecting every problem (unknown
/// keys, wrong types, missing fields) with its line and column instead of
/// stopping at the first, the way Vector reports configuration errors.
struct YAMLReader {
    let file: String
    private(set) var errors: [RuleError] = []

    init(file: String) { self.file = file }

    mutating func fail(_ message: String, at node: Node?) {
        errors.append(RuleError(file: file, line: node?.mark?.line, column: node?.mark?.column, message: message))
    }

    /// Parses `text` into a root mapping, or records why it cannot.
    mutating func root(_ text: String) -> Node.Mapping? {
        do {
            guard let node = try Yams.compose(yaml: text, Self.resolver) else {
                fail("the file is empty", at: nil)
                return nil
            }
            guard let mapping = node.mapping else {
                fail("the top level must be a mapping of keys to values", at: node)
                return nil
            }
            return mapping
        } catch let error as YamlError {
            errors.append(Self.locate(error, file: file))
            return nil
        } catch {
            fail("cannot parse YAML: \(error)", at: nil)
            return nil
        }
    }

    static func locate(_ error: YamlError, file: String) -> RuleError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return RuleError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        default:
            return RuleError(file: file, message: "invalid YAML: \(error)")
        }
    }

    /// Records an error for every key of `mapping` not in `allowed`.
    mutating func rejectUnknownKeys(_ mapping: Node.Mapping, allowed: Set<String>, context: String) {
        for (key, _) in mapping {
            guard let name = key.string else {
                fail("\(context): keys must be strings", at: key)
                continue
            }
            if !allowed.contains(name) {
                fail("\(context): unknown key '\(name)' (expected one of: \(allowed.sorted().joined(separator: ", ")))", at: key)
            }
        }
    }

    /// The value of `key` in `mapping`: its keys' text compared, not nodes (a `Node` made of `key`
    /// would have its type resolved by every resolver rule's regular expression, on each lookup).
    func value(_ mapping: Node.Mapping, _ key: String) -> Node? { Self.value(mapping, key) }

    static func value(_ mapping: Node.Mapping, _ key: String) -> Node? {
        for (name, value) in mapping where name.scalar?.string == key { return value }
        return nil
    }

    /// The types a rule file's plain scalars can have (`true`, `3`, `0.5`, `null`): Yams's default
    /// without timestamps, merge keys and `=`, which no rule file uses. Each rule is a regular
    /// expression tried on every plain scalar, and loading the rules starts every run.
    static let resolver = Resolver.default.removing(.timestamp).removing(.merge).removing(.value)

    mutating func string(_ mapping: Node.Mapping, _ key: String, context: String, required: Bool = true) -> String? {
        guard let node = value(mapping, key) else {
            if required { fail("\(context): missing required key '\(key)'", at: .mapping(mapping)) }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            fail("\(context): '\(key)' must be a string", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func strings(_ mapping: Node.Mapping, _ key: String, context: String) -> [String] {
        guard let node = value(mapping, key) else { return [] }
        if case .scalar(let scalar) = node { return [scalar.string] }
        guard let sequence = node.sequence else {
            fail("\(context): '\(key)' must be a list of strings", at: node)
            return []
        }
        var out: [String] = []
        for item in sequence {
            if case .scalar(let scalar) = item { out.append(scalar.string) } else {
                fail("\(context): every item of '\(key)' must be a string", at: item)
            }
        }
        return out
    }

    mutating func number(_ mapping: Node.Mapping, _ key: String, context: String, range: ClosedRange<Double>) -> Double? {
        guard let node = value(mapping, key) else { return nil }
        guard let value = node.float ?? node.int.map(Double.init) else {
            fail("\(context): '\(key)' must be a number", at: node)
            return nil
        }
        guard range.contains(value) else {
            fail("\(context): '\(key)' must be between \(range.lowerBound) and \(range.upperBound), not \(value)", at: node)
            return nil
        }
        return value
    }
}
