/// Which build produced a report: Faultline's version, the commit it was built from, and the
/// rule packs' version (the pipeline's name and a content hash of its YAML). JSON reports carry
/// it as `"faultline": {"version", "commit", "rules"}`.
public struct Provenance: Sendable, Equatable {
    public var version: String
    public var commit: String
    public var rules: String

    public init(version: String, commit: String, rules: String) {
        self.version = version
        self.commit = commit
        self.rules = rules
    }
}
