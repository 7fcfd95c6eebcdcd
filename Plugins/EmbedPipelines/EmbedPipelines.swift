import Foundation
import PackagePlugin

/// Generates Swift source from the package's `Pipelines/` folder at build time, so the
/// binary carries its default pipelines and rule packs (the YAML stays the one source of
/// truth), and records the commit the binary was built from.
@main
struct EmbedPipelines: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let package = context.package.directoryURL
        let pipelines = package.appending(path: "Pipelines")
        let files = Self.yamlFiles(under: pipelines)
        let tool = try context.tool(named: "faultline-embed")
        let embedded = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPipelines.swift")
        let commit = context.pluginWorkDirectoryURL.appending(path: "BuildCommit.swift")
        var commitArguments = ["commit", commit.path, package.path]
        if let given = ProcessInfo.processInfo.environment["FAULTLINE_COMMIT"], !given.isEmpty {
            commitArguments.append(given)
        }
        return [
            .buildCommand(displayName: "Embedding Pipelines/ (\(files.count) files)", executable: tool.url,
                          arguments: ["pipelines", embedded.path, pipelines.path] + files,
                          inputFiles: files.map { pipelines.appending(path: $0) }, outputFiles: [embedded]),
            .buildCommand(displayName: "Recording the commit", executable: tool.url, arguments: commitArguments,
                          inputFiles: Self.gitHeadFiles(package), outputFiles: [commit]),
        ]
    }

    /// Every `.yaml` file under `root`, as paths relative to it, sorted.
    static func yamlFiles(under root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") { files.append(relative) }
        }
        return files.sorted()
    }

    /// The files git rewrites when the checkout's commit changes (`HEAD` and its reflog),
    /// in a plain clone or a worktree (whose `.git` is a file naming its git folder).
    static func gitHeadFiles(_ package: URL) -> [URL] {
        let dotGit = package.appending(path: ".git")
        var gitDirectory = dotGit
        if let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir:") {
            let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDirectory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appending(path: path)
        }
        return [gitDirectory.appending(path: "HEAD"), gitDirectory.appending(path: "logs/HEAD")]
            .filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
