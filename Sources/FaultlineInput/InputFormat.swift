/// What an input holds, decided from its first kilobytes (never its name).
public struct InputFormat: Sendable, Hashable, CustomStringConvertible {
    /// The outermost format: `github-actions`, `gitlab-ci`, `buildkit`, `docker-legacy`,
    /// `go-log`, `npm-log`, `npm-debug-log`, `yarn-log` (yarn 1's output or its yarn-error.log),
    /// `jstack`, `pcap`, `pcapng`, `json`, `text`, `binary`, `empty`.
    public var name: String
    /// Tools recognised inside it, outermost first (`docker`, `go`, `npm`, `yarn`).
    public var contains: [String]

    public init(name: String, contains: [String] = []) {
        self.name = name
        self.contains = contains
    }

    public var description: String { contains.isEmpty ? name : "\(name) (\(contains.joined(separator: ", ")))" }

    /// Text build logs of any wrapper: read by the build-log decoder.
    public var isBuildLog: Bool {
        ["github-actions", "gitlab-ci", "buildkit", "docker-legacy", "go-log", "npm-log", "npm-debug-log", "yarn-log", "text"].contains(name)
    }

    public var isCapture: Bool { name == "pcap" || name == "pcapng" }
}
