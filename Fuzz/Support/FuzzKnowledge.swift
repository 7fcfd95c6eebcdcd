public import FaultlineRules
import Foundation

/// The built-in `default` pipeline, loaded once per fuzzer process: the rule packs' anchors and
/// signatures every log and dump harness runs its input against (libFuzzer calls a harness
/// millions of times, so nothing that does not depend on the input is built per call).
public enum FuzzKnowledge {
    public static let base: KnowledgeBase = {
        do {
            return try KnowledgeBaseLoader.load(pipeline: "default", library: .builtInOnly)
        } catch {
            // The built-in pipeline not loading is a broken build, not a finding: stop the fuzzer.
            FileHandle.standardError.write(Data("fuzz: the built-in pipeline does not load: \(error)\n".utf8))
            exit(2)
        }
    }()
}
