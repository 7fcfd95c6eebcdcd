/// Names of archive members as reports show them: the archive's path, `!/`,
/// then the member's path inside it (`logs.tgz!/run-7/build.log`), the way
/// a jar URL names an entry.
enum ArchiveMember {
    static func displayName(archive: String, member: String) -> String {
        archive + "!/" + member
    }
}
