import FaultlineFuzzSupport
import FaultlineRules
import Foundation

// The pipeline YAML: one file of the built-in library (a pipeline, the cause catalogue or a rule
// pack, chosen by the first byte) replaced by the input through an overlay folder, as
// `--pipelines DIR` replaces one, then loaded, validated (`pipelines validate`), and its
// signatures tried on a few lines.

private let files = ["default.yaml", "go-docker.yaml", "jvm-service.yaml", "npm-ci.yaml", "causes.yaml",
                     "rules/ci.yaml", "rules/dns.yaml", "rules/docker.yaml", "rules/go.yaml", "rules/jvm.yaml",
                     "rules/npm.yaml", "rules/tests.yaml"]
/// The overlay folder, one per fuzzer process.
private let overlay: String = {
    let folder = NSTemporaryDirectory() + "faultline-fuzz-pipeline-\(ProcessInfo.processInfo.processIdentifier)"
    try? FileManager.default.createDirectory(atPath: folder + "/rules", withIntermediateDirectories: true)
    return folder
}()
private let lines = [
    "go: example.com/m@v1.0.0: Get \"https://proxy.golang.org/x\": dial tcp: lookup proxy.golang.org on 10.0.0.53:53: i/o timeout",
    "npm ERR! code E404", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipeline(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let replaced = files[Int(input.selector) % files.count]
    let path = overlay + "/" + replaced
    guard FileManager.default.createFile(atPath: path, contents: Data(input.payload)) else { return 0 }
    defer { try? FileManager.default.removeItem(atPath: path) }
    let library = PipelineLibrary(layers: [.builtIn, .folder(overlay, origin: "--pipelines")])
    let pipeline = replaced.contains("/") || replaced == "causes.yaml" ? "default" : String(replaced.dropLast(".yaml".count))
    guard let knowledge = try? KnowledgeBaseLoader.load(pipeline: pipeline, library: library) else { return 0 }
    _ = KnowledgeBaseValidator.check(knowledge)
    for line in lines { _ = knowledge.matcher.allMatches(line) }
    return 0
}

@_cdecl("PipelineFuzzer_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzPipeline)
}
