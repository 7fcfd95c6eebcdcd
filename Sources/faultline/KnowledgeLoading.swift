import ArgumentParser
import Faultline

/// `--pipeline` and `--pipelines`: which pipeline to run, and folders that add or override
/// pipelines and rule packs over the built-in copy (after `~/.config/faultline/` and
/// `$FAULTLINE_PIPELINES`).
struct KnowledgeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A pipeline name (built in, or from a pipelines folder) or a pipeline YAML file.",
                               valueName: "name|file"))
    var pipeline: String = "default"

    @Option(help: ArgumentHelp("A folder of pipelines and rule packs that add to or override the built-in ones "
                               + "(repeatable; later wins).", valueName: "dir"))
    var pipelines: [String] = []

    /// The built-in pipelines overlaid by the user's folders.
    var library: PipelineLibrary { PipelineLibrary.standard(extra: pipelines) }

    /// Loads the knowledge base or prints every error, located, and ends with exit status 4.
    func load() throws -> KnowledgeBase {
        try loadKnowledgeOrExit(pipeline: pipeline, library: library)
    }
}

/// Loads the knowledge base for `pipeline` (a name in `library` or a YAML
/// file) or prints every error, located, and ends with exit status 4.
func loadKnowledgeOrExit(pipeline: String, library: PipelineLibrary) throws -> KnowledgeBase {
    do {
        return try Analyzer.loadKnowledge(pipeline: pipeline, library: library)
    } catch {
        printError(error.description)
        throw ExitCode(4)
    }
}

/// Loads `pipeline` from the built-in pipelines overlaid by the user's folders, or exits with status 4.
func loadKnowledgeOrExit(pipeline: String) throws -> KnowledgeBase {
    try loadKnowledgeOrExit(pipeline: pipeline, library: .standard())
}
