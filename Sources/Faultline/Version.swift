public import FaultlineCore
public import FaultlineRules

/// Faultline's own version, and the commit this binary was built from (recorded at build
/// time); both are in every JSON report and beside every case a batch stores.
public enum FaultlineVersion {
    public static let current = "0.13.0"
    /// The full commit hash, or `unknown` for a build outside a git checkout.
    public static let commit = BuildCommit.hash

    /// The provenance a report made with `knowledge` carries.
    public static func provenance(rules knowledge: KnowledgeBase) -> Provenance {
        Provenance(version: current, commit: commit, rules: knowledge.rulesVersion)
    }
}
