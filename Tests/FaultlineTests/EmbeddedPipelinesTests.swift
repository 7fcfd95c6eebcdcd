import Foundation
import Testing
import Faultline

/// The pipelines built into the binary are exactly `Pipelines/`, and folders of one's own add
/// pipelines and override packs over them.
@Suite("Built-in pipelines and the folders over them")
struct EmbeddedPipelinesTests {
    /// Every YAML file under `Pipelines/`, by path relative to it.
    static func repositoryFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        let root = TestSupport.pipelines
        let walker = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            files[relative] = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
        }
        return files
    }

    @Test("the embedded copy equals Pipelines/, file for file and byte for byte")
    func embeddedEqualsRepository() throws {
        let repository = try Self.repositoryFiles()
        #expect(repository.count >= 12)
        #expect(Set(EmbeddedPipelines.files.keys) == Set(repository.keys))
        for (path, text) in repository {
            #expect(EmbeddedPipelines.files[path].map { [UInt8]($0.utf8) } == [UInt8](text.utf8), "\(path) differs from its built-in copy")
        }
    }

    @Test("the built-in default pipeline is the one Pipelines/ makes: same packs, signatures, causes and rules version")
    func builtInLoads() throws {
        let builtIn = try KnowledgeBaseLoader.load(pipeline: "default", library: .builtInOnly)
        let disk = TestSupport.knowledge
        #expect(builtIn.pipelineFile == "built-in:default.yaml")
        #expect(builtIn.packs.map(\.file).allSatisfy { $0.hasPrefix("built-in:rules/") })
        #expect(builtIn.packs.map(\.name) == disk.packs.map(\.name))
        #expect(builtIn.signatures.map(\.id) == disk.signatures.map(\.id))
        #expect(Set(builtIn.causes.keys) == Set(disk.causes.keys))
        #expect(builtIn.rulesVersion == disk.rulesVersion)
        #expect(builtIn.rulesVersion.hasPrefix("default@fnv1a64:"))
        for name in ["go-docker", "npm-ci", "jvm-service"] {
            #expect(throws: Never.self) { try KnowledgeBaseLoader.load(pipeline: name, library: .builtInOnly) }
        }
    }

    /// A folder with a pipeline of its own (using a built-in pack) and an override of the DNS pack.
    static func userFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-overlay-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        try """
        pipeline: mine
        description: Go only, my way.
        catalogue: causes.yaml
        packs: [rules/go.yaml, rules/dns.yaml]
        """.write(toFile: dir + "/mine.yaml", atomically: true, encoding: .utf8)
        let dns = try #require(EmbeddedPipelines.files["rules/dns.yaml"])
        try dns.replacingOccurrences(of: "description:", with: "description: (overridden)")
            .write(toFile: dir + "/rules/dns.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test("a folder adds a pipeline, and its rules/dns.yaml replaces the built-in one for every pipeline")
    func overlay() throws {
        let dir = try Self.userFolder()
        let library = PipelineLibrary.standard(extra: [dir], environment: [:])
        #expect(library.layers.map(\.origin) == ["built-in", "--pipelines"])
        let mine = try KnowledgeBaseLoader.load(pipeline: "mine", library: library)
        #expect(mine.pipelineFile == dir + "/mine.yaml")
        #expect(mine.packs.map(\.file) == ["built-in:rules/go.yaml", dir + "/rules/dns.yaml"])
        let standard = try KnowledgeBaseLoader.load(pipeline: "default", library: library)
        #expect(standard.packs.first { $0.name == "dns" }?.file == dir + "/rules/dns.yaml")
        #expect(standard.packs.first { $0.name == "go" }?.file == "built-in:rules/go.yaml")
        #expect(standard.rulesVersion != TestSupport.knowledge.rulesVersion, "an overridden pack changes the rules version")
        #expect(library.overriddenFiles(in: library.layers[1]) == ["rules/dns.yaml"])
        // The environment's folders come between the built-in copy and --pipelines.
        let layered = PipelineLibrary.standard(extra: [], environment: ["FAULTLINE_PIPELINES": dir, "HOME": "/nonexistent"])
        #expect(layered.layers.map(\.origin) == ["built-in", "$FAULTLINE_PIPELINES"])
        let config = PipelineLibrary.standard(extra: [], environment: ["XDG_CONFIG_HOME": dir + "/rules"])
        #expect(config.layers.count == 1, "no faultline/ folder under that config home")
        // ~/.config/faultline/ (or $XDG_CONFIG_HOME/faultline/) is the lowest of the user's layers.
        let home = dir + "/home"
        try FileManager.default.createDirectory(atPath: home + "/.config/faultline", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/mine.yaml", toPath: home + "/.config/faultline/mine.yaml")
        let fromHome = PipelineLibrary.standard(extra: [dir], environment: ["HOME": home])
        #expect(fromHome.layers.map(\.origin) == ["built-in", "~/.config/faultline", "--pipelines"])
        let mineEntry = fromHome.pipelines().first { $0.name == "mine" }
        #expect(mineEntry?.location == dir + "/mine.yaml" && mineEntry?.overrides == ["~/.config/faultline"])
        #expect(fromHome.pipelines().map(\.name) == ["default", "go-docker", "jvm-service", "mine", "npm-ci"])
    }

    @Test("pipelines list says where each pipeline came from; an unknown name is a located error with exit 4")
    func listOrigins() throws {
        let dir = try Self.userFolder()
        let list = try CLIProcess.run(["pipelines", "list", "--pipelines", dir])
        #expect(list.status == 0)
        #expect(list.stdout.contains("from built-in: built-in:default.yaml"))
        #expect(list.stdout.contains("from --pipelines: \(dir)/mine.yaml"))
        #expect(list.stdout.contains("rules/dns.yaml from --pipelines"))
        let missing = try CLIProcess.run(["analyze", "--pipeline", "nosuch", "Samples/go/dns-refused"])
        #expect(missing.status == 4)
        #expect(missing.stderr.contains("no pipeline named 'nosuch'"))
        let validate = try CLIProcess.run(["pipelines", "validate", "--pipeline", "mine", "--pipelines", dir])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("\(dir)/mine.yaml: 2 packs"))
    }
}
