import ArgumentParser
import Faultline

/// `faultline pipelines …`: inspect and check the knowledge base.
struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "Inspect and validate pipeline definitions and rule packs.",
        discussion: """
        Pipelines and rule packs are YAML. The ones in the repository's Pipelines/ are built into \
        the binary; a folder of your own adds pipelines and packs or overrides them by path \
        (rules/go.yaml replaces the built-in Go pack), read at run time: ~/.config/faultline/ \
        (or $XDG_CONFIG_HOME/faultline/), then $FAULTLINE_PIPELINES, then each --pipelines DIR, \
        the later winning.
        """,
        subcommands: [List.self, Show.self, Validate.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a pipeline, its cause catalogue and rule packs; every signature must match its examples.",
            discussion: "Reports every problem at once as FILE:LINE:COLUMN: error: MESSAGE. Exit status 4 when any error is found."
        )

        @OptionGroup var knowledgeOptions: KnowledgeOptions

        func run() throws {
            let knowledge = try knowledgeOptions.load()
            let findings = KnowledgeBaseValidator.check(knowledge)
            for finding in findings { printError(finding.description) }
            let errors = findings.filter { !$0.isWarning }.count
            let examples = knowledge.signatures.reduce(0) { $0 + $1.examples.count }
            writeStdout("\(knowledge.pipelineFile): \(knowledge.packs.count) packs, \(knowledge.signatures.count) signatures, \(examples) examples checked, \(knowledge.causes.count) causes: \(errors == 0 ? "valid" : "\(errors) errors")\n")
            if errors > 0 { throw ExitCode(4) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the pipelines, built in and from your folders, and where each came from.")

        @Option(help: ArgumentHelp("A folder of pipelines and rule packs over the built-in ones (repeatable).", valueName: "dir"))
        var pipelines: [String] = []

        func run() throws {
            let library = PipelineLibrary.standard(extra: pipelines)
            var out = "pipelines (later layers override earlier ones: \(library.layers.map(layerName).joined(separator: ", "))):\n"
            let entries = library.pipelines()
            let width = (entries.map(\.name.count).max() ?? 0) + 2
            for entry in entries {
                out += "  \(entry.name)\(String(repeating: " ", count: max(1, width - entry.name.count)))\(entry.description)\n"
                out += "  \(String(repeating: " ", count: width))from \(entry.origin): \(entry.location)"
                if !entry.overrides.isEmpty { out += " (overrides \(entry.overrides.joined(separator: ", ")))" }
                out += "\n"
            }
            let packs = library.layers.dropFirst().flatMap { layer in
                library.overriddenFiles(in: layer).map { "  \($0) from \(layer.origin)" }
            }
            if !packs.isEmpty { out += "rule packs and catalogues overridden:\n" + packs.joined(separator: "\n") + "\n" }
            writeStdout(out)
        }

        func layerName(_ layer: PipelineLibrary.Layer) -> String {
            layer.directory.map { "\(layer.origin) \($0)" } ?? layer.origin
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a pipeline: its stages and their settings, its rule packs, and the causes they detect.")

        @Argument(help: ArgumentHelp("A pipeline name (built in, or from a pipelines folder) or a pipeline YAML file.",
                                     valueName: "name|file"))
        var pipeline: String = "default"

        @Option(help: ArgumentHelp("A folder of pipelines and rule packs over the built-in ones (repeatable).", valueName: "dir"))
        var pipelines: [String] = []

        func run() throws {
            let knowledge = try loadKnowledgeOrExit(pipeline: pipeline, library: PipelineLibrary.standard(extra: pipelines))
            var out = "pipeline \(knowledge.pipelineName) (\(knowledge.pipelineFile)), rules \(knowledge.rulesVersion)\n"
            if !knowledge.description.isEmpty { out += "  \(knowledge.description)\n" }
            out += "stages: decode → normalise → align → correlate → rank → emit\n"
            for setting in knowledge.settings.described {
                out += "  \(setting.stage).\(setting.key) = \(setting.value)\n"
            }
            out += "rule packs, tried in this order:\n"
            for pack in knowledge.packs {
                out += "  \(pack.name): \(pack.signatures.count) signatures, \(pack.remedies.count) remedies (\(pack.file))\n"
            }
            out += "causes:\n"
            let byCause = Dictionary(grouping: knowledge.signatures, by: \.cause)
            for cause in knowledge.causes.values.sorted(by: { ($0.layer, $0.id) < ($1.layer, $1.id) }) {
                let signatures = byCause[cause.id] ?? []
                out += "  \(cause.id)  [\(cause.layer.rawValue)]  \(signatures.count) signatures"
                if !cause.explains.isEmpty { out += "  explains \(cause.explains.joined(separator: ", "))" }
                out += "\n"
                for signature in signatures { out += "      \(signature.pack): \(signature.id)\n" }
            }
            writeStdout(out)
        }
    }
}
