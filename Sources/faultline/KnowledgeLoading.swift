import ArgumentParser
import Faultline

/// Loads the knowledge base for `pipeline` (a name under Pipelines/ or a YAML
/// file) or prints every error, located, and ends with exit status 4.
func loadKnowledgeOrExit(pipeline: String) throws -> KnowledgeBase {
    do {
        return try Analyzer.loadKnowledge(pipeline: pipeline)
    } catch {
        printError(error.description)
        throw ExitCode(4)
    }
}
