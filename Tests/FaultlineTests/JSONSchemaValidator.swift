import Foundation

/// Validates a JSON value (as `JSONSerialization` reads it) against the subset of JSON Schema
/// (draft 2020-12) that `docs/faultline.report-1.schema.json` uses: `type` (one or a list),
/// `const`, `enum`, `properties`, `required`, `additionalProperties` (false or a schema),
/// `items`, `minimum`, `maximum`, `pattern` and `$ref` into `#/$defs/`. A keyword outside the
/// subset is itself reported, so the schema cannot use one this validator would ignore.
struct JSONSchemaValidator {
    let root: [String: Any]
    static let annotations: Set = ["$schema", "$id", "title", "description"]
    static let keywords: Set = ["type", "const", "enum", "properties", "required", "additionalProperties", "items",
                                "minimum", "maximum", "pattern", "$ref", "$defs"]

    /// Every place where `value` breaks the schema, as `path: problem`.
    func errors(_ value: Any) -> [String] {
        var found: [String] = []
        check(value, against: root, at: "$", into: &found)
        return found
    }

    private func check(_ value: Any, against schema: [String: Any], at path: String, into found: inout [String]) {
        for key in schema.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            found.append("\(path): the schema uses '\(key)', which this validator does not know")
        }
        if let reference = schema["$ref"] as? String {
            let prefix = "#/$defs/"
            guard reference.hasPrefix(prefix), let defs = root["$defs"] as? [String: Any],
                  let target = defs[String(reference.dropFirst(prefix.count))] as? [String: Any] else {
                found.append("\(path): unresolved $ref \(reference)")
                return
            }
            check(value, against: target, at: path, into: &found)
        }
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? "?"]
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                found.append("\(path): \(Self.describe(value)) is not of type \(allowed.joined(separator: "|"))")
                return
            }
        }
        if let constant = schema["const"], !Self.equal(value, constant) {
            found.append("\(path): \(Self.describe(value)) is not \(Self.describe(constant))")
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal(value, $0) }) {
            found.append("\(path): \(Self.describe(value)) is not one of \(options.map(Self.describe))")
        }
        if let number = Self.number(value) {
            if let minimum = schema["minimum"].flatMap(Self.number), number < minimum {
                found.append("\(path): \(number) < minimum \(minimum)")
            }
            if let maximum = schema["maximum"].flatMap(Self.number), number > maximum {
                found.append("\(path): \(number) > maximum \(maximum)")
            }
        }
        if let pattern = schema["pattern"] as? String, let string = value as? String {
            if string.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \"\(string)\" does not match \(pattern)")
            }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                found.append("\(path): missing required '\(key)'")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    check(member, against: property, at: path + "." + key, into: &found)
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool {
                        if !allowed { found.append("\(path): unexpected property '\(key)'") }
                    } else if let additional = additional as? [String: Any] {
                        check(member, against: additional, at: path + "." + key, into: &found)
                    }
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { check(element, against: items, at: "\(path)[\(index)]", into: &found) }
        }
    }

    static func isBool(_ value: Any) -> Bool {
        // JSONSerialization reads true and false as NSNumbers of Objective-C type `c` (char).
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !isBool(number) else { return nil }
        return number.doubleValue
    }

    static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBool(value)
        case "null": return value is NSNull
        case "number": return number(value) != nil
        case "integer": return number(value).map { $0 == $0.rounded() } ?? false
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if isBool(a) || isBool(b) { return isBool(a) && isBool(b) && (a as? Bool) == (b as? Bool) }
        if let x = number(a), let y = number(b) { return x == y }
        if let x = a as? String, let y = b as? String { return x == y }
        return a is NSNull && b is NSNull
    }

    static func describe(_ value: Any) -> String {
        if let string = value as? String { return "\"\(string)\"" }
        if isBool(value) { return (value as? Bool) == true ? "true" : "false" }
        if value is [String: Any] { return "an object" }
        if value is [Any] { return "an array" }
        if value is NSNull { return "null" }
        return "\(value)"
    }
}
