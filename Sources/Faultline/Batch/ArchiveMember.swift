/// Names of archive members as reports show them: the archive's path, `!/`,
/// then the member's path inside it (`logs.tgz!/run-7/build.log`), the way
/// a jar URL names an entry.
enum ArchiveMember {
    /// Whether a member is analysed: a regular file with no hidden part in its path (`.git/…`,
    /// `._name`) and not macOS's `__MACOSX/` resource forks — as `analyze` skips hidden entries of a folder.
    static func isAnalysed(_ entry: ArchiveReader.Entry) -> Bool {
        guard entry.isFile else { return false }
        return !entry.name.split(separator: "/").contains { $0.hasPrefix(".") || $0 == "__MACOSX" }
    }

    static func displayName(archive: String, member: String) -> String {
        archive + "!/" + member
    }
}
