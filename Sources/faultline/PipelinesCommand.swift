import ArgumentParser
import Faultline

/// `faultline pipelines …`: inspect and check the knowledge base.
struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "Inspect and validate pipeline definitions and rule packs.",
        discussion: """
        Pipelines and rule packs are YAML files under Pipelines/ (or $FAULTLINE_PIPELINES), read \
        at run time: add a signature or a cause there and Faultline knows it without recompiling.
        """,
        subcommands: [List.self, Show.self, Validate.self]
    )

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a pipeline, its cause catalogue and rule packs; every signature must match its examples.",
            discussion: "Reports every problem at once as FILE:LINE:COLUMN: error: MESSAGE. Exit status 4 when any error is found."
        )

        @Option(help: ArgumentHelp("A pipeline name under Pipelines/ or a pipeline YAML file.", valueName: "name|file"))
        var pipeline: String = "default"

        func run() throws {
            let knowledge = try loadKnowledgeOrExit(pipeline: pipeline)
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
            commandName: "list", abstract: "List the pipelines under Pipelines/ (or $FAULTLINE_PIPELINES).")

        func run() throws {
            guard let directory = KnowledgeBaseLoader.pipelinesDirectory() else {
                printError("no Pipelines folder found; set FAULTLINE_PIPELINES")
                throw ExitCode(4)
            }
            var out = "pipelines in \(directory):\n"
            for pipeline in KnowledgeBaseLoader.pipelines(in: directory) {
                out += "  \(pipeline.name)\(String(repeating: " ", count: max(1, 14 - pipeline.name.count)))\(pipeline.description)\n"
            }
            writeStdout(out)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a pipeline: its stages and their settings, its rule packs, and the causes they detect.")

        @Argument(help: ArgumentHelp("A pipeline name under Pipelines/ or a pipeline YAML file.", valueName: "name|file"))
        var pipeline: String = "default"

        func run() throws {
            let knowledge = try loadKnowledgeOrExit(pipeline: pipeline)
            var out = "pipeline \(knowledge.pipelineName) (\(knowledge.pipelineFile))\n"
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
