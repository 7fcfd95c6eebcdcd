import Foundation

/// Where pipelines, cause catalogues and rule packs are found: the copy built into the
/// binary, overlaid by folders that add files or override them by relative path
/// (`rules/go.yaml` in `~/.config/faultline/` replaces the built-in Go pack for every
/// pipeline that names it). Later layers win.
///
/// The standard order, lowest first: built in, `$XDG_CONFIG_HOME/faultline/` (or
/// `~/.config/faultline/`), `$FAULTLINE_PIPELINES`, then each `--pipelines DIR`.
public struct PipelineLibrary: Sendable {
    /// One layer: the built-in copy, or a folder on disk.
    public struct Layer: Sendable {
        /// How a user named this layer: `built-in`, `~/.config/faultline`, `$FAULTLINE_PIPELINES`, `--pipelines`.
        public var origin: String
        /// The folder, for a layer on disk.
        public var directory: String?
        let embedded: [String: String]

        /// The built-in copy of `Pipelines/`.
        public static var builtIn: Layer { Layer(origin: "built-in", directory: nil, embedded: EmbeddedPipelines.files) }

        /// A folder on disk (read when a file is asked for).
        public static func folder(_ directory: String, origin: String) -> Layer {
            Layer(origin: origin, directory: directory, embedded: [:])
        }

        /// Where `relative` lives in this layer: a path on disk, or `built-in:RELATIVE`.
        func location(of relative: String) -> String? {
            if let directory {
                let path = directory + "/" + relative
                return FileManager.default.fileExists(atPath: path) ? path : nil
            }
            return embedded[relative] == nil ? nil : PipelineLibrary.builtInPrefix + relative
        }

        /// Every YAML file directly in this layer's top folder (where pipelines live).
        var topLevelFiles: [String] {
            if let directory {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            }
            return embedded.keys.filter { !$0.contains("/") }.sorted()
        }
    }

    /// The prefix of a built-in file's location, as errors and `pipelines show` print it.
    public static let builtInPrefix = "built-in:"

    /// Lowest first: a later layer's file replaces an earlier one's of the same relative path.
    public var layers: [Layer]

    public init(layers: [Layer]) { self.layers = layers }

    /// The built-in copy alone: what a binary copied to an empty machine has.
    public static var builtInOnly: PipelineLibrary { PipelineLibrary(layers: [.builtIn]) }

    /// Built in, then the user's config folder, `$FAULTLINE_PIPELINES` and `extra` (`--pipelines DIR`), in that order.
    public static func standard(extra: [String] = [],
                                environment given: [String: String]? = nil) -> PipelineLibrary {
        let environment = given ?? ProcessInfo.processInfo.environment
        var layers: [Layer] = [.builtIn]
        if let config = configDirectory(environment: environment), FileManager.default.fileExists(atPath: config) {
            layers.append(.folder(config, origin: "~/.config/faultline"))
        }
        if let env = environment["FAULTLINE_PIPELINES"], !env.isEmpty {
            layers.append(.folder(env, origin: "$FAULTLINE_PIPELINES"))
        }
        layers += extra.map { .folder($0, origin: "--pipelines") }
        return PipelineLibrary(layers: layers)
    }

    /// `$XDG_CONFIG_HOME/faultline`, else `$HOME/.config/faultline`.
    public static func configDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/faultline" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/faultline" }
        return nil
    }

    /// The location of `relative` in the highest layer that has it.
    public func locate(_ relative: String) -> (location: String, layer: Layer)? {
        for layer in layers.reversed() {
            if let location = layer.location(of: relative) { return (location, layer) }
        }
        return nil
    }

    /// The text at `location` (a path on disk or `built-in:RELATIVE`), or nil when there is none.
    func contents(of location: String) -> Data? {
        if location.hasPrefix(Self.builtInPrefix) {
            let relative = String(location.dropFirst(Self.builtInPrefix.count))
            return EmbeddedPipelines.files[relative].map { Data($0.utf8) }
        }
        return FileManager.default.contents(atPath: location)
    }

    /// A pipeline the library offers: its name, description, where its file is and which layer it came from.
    public struct Entry: Sendable {
        public var name: String
        public var description: String
        public var location: String
        public var origin: String
        /// The origins of lower layers whose file of the same name this one replaces.
        public var overrides: [String]
    }

    /// Every pipeline file at the top of any layer, the highest layer's copy of each.
    public func pipelines() -> [Entry] {
        var entries: [String: Entry] = [:]
        for layer in layers {
            for file in layer.topLevelFiles {
                guard let location = layer.location(of: file), let data = contents(of: location),
                      let header = KnowledgeBaseLoader.pipelineHeader(String(decoding: data, as: UTF8.self)) else { continue }
                let overridden = entries[file].map { $0.overrides + [$0.origin] } ?? []
                entries[file] = Entry(name: header.name, description: header.description, location: location,
                                      origin: layer.origin, overrides: overridden)
            }
        }
        return entries.keys.sorted().compactMap { entries[$0] }
    }
}

extension PipelineLibrary {
    /// The files of `layer` other than pipelines (rule packs, catalogues) that replace a lower
    /// layer's file of the same relative path, as relative paths, sorted.
    public func overriddenFiles(in layer: Layer) -> [String] {
        guard let directory = layer.directory, let index = layers.firstIndex(where: { $0.directory == directory }),
              let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml"),
                  layers[..<index].contains(where: { $0.location(of: relative) != nil }) else { continue }
            let isPipeline = !relative.contains("/") && contents(of: directory + "/" + relative)
                .flatMap { KnowledgeBaseLoader.pipelineHeader(String(decoding: $0, as: UTF8.self)) } != nil
            if !isPipeline { found.append(relative) }
        }
        return found.sorted()
    }
}
