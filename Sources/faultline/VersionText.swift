import Faultline

/// What `faultline --version` prints: the version, the commit and the default pipeline's rule packs.
enum VersionText {
    static func make(library: PipelineLibrary) -> String {
        var text = "faultline \(FaultlineVersion.current)\ncommit \(FaultlineVersion.commit)\n"
        do {
            let knowledge = try Analyzer.loadKnowledge(pipeline: "default", library: library)
            text += "rules \(knowledge.rulesVersion) (\(knowledge.pipelineFile), \(knowledge.packs.count) packs)\n"
        } catch {
            text += "rules: the default pipeline does not load (faultline pipelines validate says why)\n"
        }
        return text
    }
}
