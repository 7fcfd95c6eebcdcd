import Foundation
import FaultlineCore
import Yams

/// Loads a pipeline definition, the cause catalogue and the rule packs it
/// names from YAML, validating all of them and reporting every error at once.
public enum KnowledgeBaseLoader {
    /// Loads the pipeline named `nameOrFile` from the standard library (built in, then
    /// `~/.config/faultline/`, `$FAULTLINE_PIPELINES`, `extra`), or from `directory` alone
    /// when one is given.
    public static func load(pipeline nameOrFile: String, directory: String?) throws(RuleErrors) -> KnowledgeBase {
        let library = directory.map { PipelineLibrary(layers: [.folder($0, origin: $0)]) } ?? .standard()
        return try load(pipeline: nameOrFile, library: library)
    }

    /// Loads the pipeline named `nameOrFile`: a path to a YAML file on disk (whose packs are
    /// found beside it, else in `library`), or a name looked up as `NAME.yaml` in `library`
    /// (whose packs are found in `library`, so a layer can override one pack of a lower one).
    public static func load(pipeline nameOrFile: String, library: PipelineLibrary) throws(RuleErrors) -> KnowledgeBase {
        let file: String
        let fromLibrary: Bool
        if nameOrFile.hasSuffix(".yaml") || nameOrFile.hasSuffix(".yml") || nameOrFile.contains("/") {
            file = nameOrFile
            fromLibrary = false
        } else if let found = library.locate(nameOrFile + ".yaml") {
            file = found.location
            fromLibrary = true
        } else {
            let names = library.pipelines().map(\.name)
            throw RuleErrors([RuleError(file: nameOrFile, message:
                "no pipeline named '\(nameOrFile)' (known: \(names.joined(separator: ", "))); pass --pipeline FILE or --pipelines DIR")])
        }
        func locate(_ name: String) -> String {
            if name.hasPrefix("/") { return name }
            let beside = resolve(name, against: URL(fileURLWithPath: file).deletingLastPathComponent())
            if !fromLibrary, FileManager.default.fileExists(atPath: beside) { return beside }
            if let found = library.locate(name) { return found.location }
            return fromLibrary && file.hasPrefix(PipelineLibrary.builtInPrefix) ? PipelineLibrary.builtInPrefix + name : beside
        }
        var errors: [RuleError] = []
        var version = FNV1a64()
        func read(_ location: String) -> String? {
            let text = Self.read(location, library: library, errors: &errors)
            version.mix(size: text?.utf8.count ?? -1)
            if var text { text.withUTF8 { version.mix(UnsafeRawBufferPointer($0)) } }
            return text
        }
        guard let text = read(file) else { throw RuleErrors(errors) }
        var reader = YAMLReader(file: file)
        guard let root = reader.root(text) else { throw RuleErrors(reader.errors) }
        reader.rejectUnknownKeys(root, allowed: ["pipeline", "description", "catalogue", "packs", "stages"], context: "pipeline")
        let name = reader.string(root, "pipeline", context: "pipeline") ?? "unnamed"
        let description = reader.string(root, "description", context: "pipeline", required: false) ?? ""
        let catalogueName = reader.string(root, "catalogue", context: "pipeline") ?? "causes.yaml"
        let packNames = reader.strings(root, "packs", context: "pipeline")
        if packNames.isEmpty { reader.fail("pipeline: 'packs' must name at least one rule pack", at: .mapping(root)) }
        let settings = loadStages(root, reader: &reader)
        errors += reader.errors

        let cataloguePath = locate(catalogueName)
        var causes: [String: CauseDefinition] = [:]
        if let text = read(cataloguePath) {
            causes = loadCatalogue(text, file: cataloguePath, errors: &errors)
        }
        // Read in order (the version hashes them in order), then parsed two at a time; each pack's
        // errors, reading's then parsing's, keep the order a pack-by-pack load gives them.
        var texts: [(path: String, text: String?, errors: [RuleError])] = []
        for packName in packNames {
            let path = locate(packName)
            let before = errors.count
            let text = read(path)
            texts.append((path, text, Array(errors[before...])))
            errors.removeSubrange(before...)
        }
        let parsed = Self.loadPacks(texts.map { ($0.path, $0.text) }, causes: causes)
        var packs: [RulePack] = []
        var seenIDs: [String: String] = [:]
        for (index, item) in texts.enumerated() {
            let path = item.path
            errors += item.errors + parsed[index].errors
            if let pack = parsed[index].pack {
                for signature in pack.signatures {
                    if let other = seenIDs[signature.id] {
                        errors.append(RuleError(file: path, line: signature.line,
                                                message: "signature id '\(signature.id)' is also defined in \(other)"))
                    }
                    seenIDs[signature.id] = path
                }
                packs.append(pack)
            }
        }
        if !errors.isEmpty { throw RuleErrors(errors) }
        var knowledge = KnowledgeBase(pipelineName: name, pipelineFile: file, description: description,
                                      causes: causes, packs: packs, settings: settings)
        knowledge.rulesVersion = name + "@" + version.text
        return knowledge
    }

    /// Reads the `stages:` section: a mapping from stage name to its settings.
    static func loadStages(_ root: Node.Mapping, reader: inout YAMLReader) -> PipelineSettings {
        var settings = PipelineSettings()
        guard let node = reader.value(root, "stages") else { return settings }
        guard let stages = node.mapping else {
            reader.fail("stages must be a mapping of stage names (decode, normalise, align, correlate, rank, emit) to settings", at: node)
            return settings
        }
        let known: [String: Set<String>] = [
            "decode": ["max_line_bytes"], "normalise": [],
            "align": ["max_clock_offset_seconds", "reorder_window_events"],
            "correlate": ["window_seconds", "max_evidence", "timeline_events"],
            "rank": ["min_confidence"], "emit": [],
        ]
        for (key, value) in stages {
            guard let stage = key.string, let allowed = known[stage] else {
                reader.fail("stages: unknown stage '\(key.string ?? "?")' (expected one of: \(known.keys.sorted().joined(separator: ", ")))", at: key)
                continue
            }
            if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~" { continue }
            guard let entry = value.mapping else {
                reader.fail("stages: '\(stage)' must be a mapping of settings", at: value)
                continue
            }
            let context = "stage '\(stage)'"
            reader.rejectUnknownKeys(entry, allowed: allowed, context: context)
            switch stage {
            case "decode":
                if let v = reader.number(entry, "max_line_bytes", context: context, range: 256...1e9) { settings.maxLineBytes = Int(v) }
            case "align":
                if let v = reader.number(entry, "max_clock_offset_seconds", context: context, range: 0...1e9) { settings.maxClockOffsetSeconds = v }
                if let v = reader.number(entry, "reorder_window_events", context: context, range: 1...1e7) { settings.reorderWindowEvents = Int(v) }
            case "correlate":
                if let v = reader.number(entry, "window_seconds", context: context, range: 0...1e9) { settings.correlationWindowSeconds = v }
                if let v = reader.number(entry, "max_evidence", context: context, range: 1...1000) { settings.maxEvidence = Int(v) }
                if let v = reader.number(entry, "timeline_events", context: context, range: 1...1e7) { settings.timelineEvents = Int(v) }
            case "rank":
                if let v = reader.number(entry, "min_confidence", context: context, range: 0...1) { settings.minConfidence = v }
            default:
                break
            }
        }
        return settings
    }

    /// A pipeline file's `pipeline:` name and description, or nil when `text` is not a pipeline.
    static func pipelineHeader(_ text: String) -> (name: String, description: String)? {
        guard let node = try? Yams.compose(yaml: text, YAMLReader.resolver), let mapping = node.mapping,
              let pipeline = YAMLReader.value(mapping, "pipeline")?.string else { return nil }
        return (pipeline, YAMLReader.value(mapping, "description")?.string ?? "")
    }

    static func resolve(_ path: String, against base: URL) -> String {
        path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardized.path
    }

    static func read(_ path: String, library: PipelineLibrary, errors: inout [RuleError]) -> String? {
        guard let data = library.contents(of: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            errors.append(RuleError(file: path, message: exists ? "cannot read the file" : "no such file"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            errors.append(RuleError(file: path, message: "the file is not valid UTF-8"))
            return nil
        }
        return text
    }

    static func loadCatalogue(_ text: String, file: String, errors: inout [RuleError]) -> [String: CauseDefinition] {
        var reader = YAMLReader(file: file)
        var causes: [String: CauseDefinition] = [:]
        defer { errors += reader.errors }
        guard let root = reader.root(text) else { return [:] }
        reader.rejectUnknownKeys(root, allowed: ["causes"], context: "catalogue")
        guard let node = reader.value(root, "causes"), let mapping = node.mapping else {
            reader.fail("catalogue: 'causes' must be a mapping of cause ids", at: .mapping(root))
            return [:]
        }
        for (key, value) in mapping {
            guard let id = key.string, let entry = value.mapping else {
                reader.fail("catalogue: each cause must be 'id: {layer: …, title: …}'", at: key)
                continue
            }
            let context = "cause '\(id)'"
            reader.rejectUnknownKeys(entry, allowed: ["layer", "title", "explains", "symptom"], context: context)
            let layerName = reader.string(entry, "layer", context: context) ?? ""
            guard let layer = Layer(rawValue: layerName) else {
                if !layerName.isEmpty {
                    reader.fail("\(context): unknown layer '\(layerName)' (expected one of: \(Layer.allCases.map(\.rawValue).joined(separator: ", ")))",
                                at: reader.value(entry, "layer"))
                }
                continue
            }
            let title = reader.string(entry, "title", context: context) ?? id
            let explains = reader.strings(entry, "explains", context: context)
            let symptom = reader.value(entry, "symptom")?.bool ?? false
            causes[id] = CauseDefinition(id: id, layer: layer, title: title, explains: explains, isSymptom: symptom)
        }
        for cause in causes.values {
            for other in cause.explains where causes[other] == nil {
                errors.append(RuleError(file: file, message: "cause '\(cause.id)' explains unknown cause '\(other)'"))
            }
        }
        if let cycle = explainsCycle(causes) {
            errors.append(RuleError(file: file, message: "'explains' makes a cycle: \(cycle.joined(separator: " → ")): a cause cannot explain itself"))
        }
        return causes
    }

    /// The first cycle in the `explains` graph (ids in order, the first repeated at the end), found by depth-first search.
    static func explainsCycle(_ causes: [String: CauseDefinition]) -> [String]? {
        var state: [String: Bool] = [:]  // false: on the current path; true: done
        var path: [String] = []
        func visit(_ id: String) -> [String]? {
            if let done = state[id] {
                guard !done, let start = path.firstIndex(of: id) else { return nil }
                return Array(path[start...]) + [id]
            }
            state[id] = false
            path.append(id)
            for next in causes[id]?.explains ?? [] where causes[next] != nil {
                if let cycle = visit(next) { return cycle }
            }
            path.removeLast()
            state[id] = true
            return nil
        }
        for id in causes.keys.sorted() {
            if let cycle = visit(id) { return cycle }
        }
        return nil
    }

    /// Each pack's text (nil: not read) parsed into its pack and its errors, in order: on two
    /// threads, the packs taken in turn (parsing the YAML is most of loading the rules).
    static func loadPacks(_ texts: [(path: String, text: String?)], causes: [String: CauseDefinition])
        -> [(pack: RulePack?, errors: [RuleError])] {
        let results = ParsedPacks(count: texts.count)
        DispatchQueue.concurrentPerform(iterations: min(2, max(1, texts.count))) { lane in
            for index in stride(from: lane, to: texts.count, by: 2) {
                guard let text = texts[index].text else { continue }
                var errors: [RuleError] = []
                let pack = loadPack(text, file: texts[index].path, causes: causes, errors: &errors)
                results.set(index, (pack, errors))
            }
        }
        return results.items
    }

    /// The packs' parses, each slot written once by the thread that parsed it, read after both are done.
    private final class ParsedPacks: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<(pack: RulePack?, errors: [RuleError])>

        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: (nil, []))
        }

        func set(_ index: Int, _ item: (pack: RulePack?, errors: [RuleError])) { slots[index] = item }

        var items: [(pack: RulePack?, errors: [RuleError])] { Array(slots) }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }
    }

    static func loadPack(_ text: String, file: String, causes: [String: CauseDefinition],
                         errors: inout [RuleError]) -> RulePack? {
        var reader = YAMLReader(file: file)
        defer { errors += reader.errors }
        guard let root = reader.root(text) else { return nil }
        reader.rejectUnknownKeys(root, allowed: ["pack", "description", "signatures", "remedies", "commands"], context: "pack")
        let name = reader.string(root, "pack", context: "pack") ?? "unnamed"
        let description = reader.string(root, "description", context: "pack", required: false) ?? ""
        var signatures: [Signature] = []
        if let node = reader.value(root, "signatures") {
            if let sequence = node.sequence {
                for item in sequence {
                    if let signature = loadSignature(item, pack: name, file: file, causes: causes, reader: &reader) {
                        signatures.append(signature)
                    }
                }
            } else {
                reader.fail("pack: 'signatures' must be a list", at: node)
            }
        }
        var remedies: [String: Remedy] = [:]
        if let node = reader.value(root, "remedies") {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    guard let cause = key.string, let entry = value.mapping else {
                        reader.fail("remedies: each entry must be 'cause_id: {remediation: […], verify: […]}'", at: key)
                        continue
                    }
                    if causes[cause] == nil { reader.fail("remedies: unknown cause '\(cause)'", at: key) }
                    reader.rejectUnknownKeys(entry, allowed: ["remediation", "verify"], context: "remedy for '\(cause)'")
                    remedies[cause] = Remedy(remediation: reader.strings(entry, "remediation", context: cause),
                                             verify: reader.strings(entry, "verify", context: cause))
                }
            } else {
                reader.fail("pack: 'remedies' must be a mapping of cause ids", at: node)
            }
        }
        var commands: [CommandRule] = []
        if let node = reader.value(root, "commands") {
            if let sequence = node.sequence {
                for item in sequence {
                    guard let entry = item.mapping else {
                        reader.fail("commands: each entry must be a mapping {match: …, cause: …}", at: item)
                        continue
                    }
                    reader.rejectUnknownKeys(entry, allowed: ["match", "cause"], context: "command rule")
                    let pattern = reader.string(entry, "match", context: "command rule") ?? ""
                    let cause = reader.string(entry, "cause", context: "command rule") ?? ""
                    if !cause.isEmpty, causes[cause] == nil {
                        reader.fail("command rule: unknown cause '\(cause)' (add it to the catalogue first)", at: reader.value(entry, "cause"))
                    }
                    do { _ = try NSRegularExpression(pattern: pattern) } catch {
                        reader.fail("command rule: 'match' is not a valid regular expression: \(pattern)", at: reader.value(entry, "match"))
                        continue
                    }
                    commands.append(CommandRule(pattern: pattern, cause: cause, file: file, line: item.mark?.line))
                }
            } else {
                reader.fail("pack: 'commands' must be a list", at: node)
            }
        }
        return RulePack(name: name, description: description, signatures: signatures, remedies: remedies,
                        commands: commands, file: file)
    }

    static func loadSignature(_ node: Node, pack: String, file: String, causes: [String: CauseDefinition],
                              reader: inout YAMLReader) -> Signature? {
        guard let entry = node.mapping else {
            reader.fail("each signature must be a mapping", at: node)
            return nil
        }
        let provisional = reader.string(entry, "id", context: "signature") ?? "?"
        let context = "signature '\(provisional)'"
        reader.rejectUnknownKeys(entry, allowed: ["id", "cause", "all", "none", "anchor", "pattern", "confidence",
                                                  "severity", "examples", "summary", "context"], context: context)
        let cause = reader.string(entry, "cause", context: context) ?? ""
        if !cause.isEmpty, causes[cause] == nil {
            reader.fail("\(context): unknown cause '\(cause)' (add it to the catalogue first)", at: reader.value(entry, "cause"))
        }
        let all = reader.strings(entry, "all", context: context)
        let none = reader.strings(entry, "none", context: context)
        if all.isEmpty { reader.fail("\(context): 'all' must list at least one literal", at: node) }
        for literal in all where literal.utf8.count < 3 {
            reader.fail("\(context): literal '\(literal)' is too short to prefilter on (3 bytes at least)", at: reader.value(entry, "all"))
        }
        let anchor = reader.string(entry, "anchor", context: context, required: false)
            ?? all.max(by: { $0.utf8.count < $1.utf8.count }) ?? ""
        if let explicit = reader.value(entry, "anchor"), !all.contains(anchor) {
            reader.fail("\(context): 'anchor' must be one of the 'all' literals", at: explicit)
        }
        let pattern = reader.string(entry, "pattern", context: context, required: false)
        if let pattern {
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                reader.fail("\(context): 'pattern' is not a valid regular expression: \(pattern)", at: reader.value(entry, "pattern"))
            }
        }
        let confidence = reader.number(entry, "confidence", context: context, range: 0...1) ?? 0.8
        var severity = Severity.error
        if let name = reader.string(entry, "severity", context: context, required: false) {
            if let parsed = Severity(name: name) { severity = parsed } else {
                reader.fail("\(context): severity must be debug, info, warning or error", at: reader.value(entry, "severity"))
            }
        }
        let examples = reader.strings(entry, "examples", context: context)
        var signature = Signature(id: provisional, cause: cause, pack: pack, all: all, none: none, anchor: anchor,
                                  pattern: pattern, confidence: confidence, severity: severity, examples: examples,
                                  file: file, line: node.mark?.line)
        if let node = reader.value(entry, "summary") {
            if let flag = node.bool { signature.isSummary = flag } else { reader.fail("\(context): 'summary' must be true or false", at: node) }
        }
        if let node = reader.value(entry, "context") {
            signature.context = loadContext(node, context: context, reader: &reader)
        }
        return signature
    }

    /// A signature's `context:` — `lines`, `anchors` and `patterns` (see `SignatureContext`).
    static func loadContext(_ node: Node, context: String, reader: inout YAMLReader) -> SignatureContext? {
        guard let entry = node.mapping else {
            reader.fail("\(context): 'context' must be a mapping {lines: …, anchors: […], patterns: […]}", at: node)
            return nil
        }
        let place = "\(context) context"
        reader.rejectUnknownKeys(entry, allowed: ["lines", "anchors", "patterns"], context: place)
        let lines = reader.number(entry, "lines", context: place, range: 1...20) ?? 3
        let anchors = reader.strings(entry, "anchors", context: place)
        let patterns = reader.strings(entry, "patterns", context: place)
        if anchors.isEmpty { reader.fail("\(place): 'anchors' must list at least one literal", at: node) }
        for literal in anchors where literal.utf8.count < 3 {
            reader.fail("\(place): literal '\(literal)' is too short to prefilter on (3 bytes at least)", at: reader.value(entry, "anchors"))
        }
        if patterns.isEmpty { reader.fail("\(place): 'patterns' must list at least one pattern", at: node) }
        for pattern in patterns {
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                reader.fail("\(place): not a valid regular expression: \(pattern)", at: reader.value(entry, "patterns"))
                continue
            }
            if SignatureMatcher.groupNames(in: pattern).isEmpty {
                reader.fail("\(place): pattern names no group, so it gives no subject: \(pattern)", at: reader.value(entry, "patterns"))
            }
        }
        return SignatureContext(lines: Int(lines), anchors: anchors, patterns: patterns)
    }
}
