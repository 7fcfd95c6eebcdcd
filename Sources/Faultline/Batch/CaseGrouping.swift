import FaultlineCore

/// Decides which case a file or archive member belongs to.
///
/// By default the files of one folder are one case (the folder's path is the
/// key), and so are the members of one folder inside an archive
/// (`archive.tgz!/folder`). A GitHub Actions log archive is recognised by its
/// top-level `N_job.txt` files beside a `job/` folder of step logs: each job
/// is one case, its `N_job.txt` and its step files together. A `--case-key`
/// pattern overrides both: the key is its first capture group in the path
/// (or the whole match); a path it does not match keeps the default key.
struct CaseGrouping {
    private let pattern: Regex<AnyRegexOutput>?

    /// - Throws: `BatchError.badCaseKey` when `pattern` is not a regular expression.
    init(pattern: String?) throws(BatchError) {
        guard let pattern else {
            self.pattern = nil
            return
        }
        do {
            self.pattern = try Regex(pattern)
        } catch {
            throw .badCaseKey(pattern, "\(error)")
        }
    }

    /// The key of a file on disk.
    func key(forFile path: String) -> String {
        if let key = patternKey(path) { return key }
        return Self.parent(of: path)
    }

    /// The key of every member of an archive, in order: `names` are the members' paths inside it.
    func keys(forMembers names: [String], archive: String) -> [String] {
        let jobs = Self.actionsJobs(names)
        return names.map { name in
            let full = ArchiveMember.displayName(archive: archive, member: name)
            if let key = patternKey(full) { return key }
            let parts = name.split(separator: "/", omittingEmptySubsequences: true)
            if let jobs, let first = parts.first {
                if parts.count == 1, let job = Self.actionsJobName(first), jobs.contains(job) {
                    return ArchiveMember.displayName(archive: archive, member: job)
                }
                if parts.count > 1, jobs.contains(String(first)) {
                    return ArchiveMember.displayName(archive: archive, member: String(first))
                }
            }
            let folder = parts.dropLast().joined(separator: "/")
            return folder.isEmpty ? archive : ArchiveMember.displayName(archive: archive, member: folder)
        }
    }

    private func patternKey(_ path: String) -> String? {
        guard let pattern, let match = try? pattern.firstMatch(in: path) else { return nil }
        if match.output.count > 1, let group = match.output[1].substring { return String(group) }
        return String(match.output[0].substring ?? "")
    }

    /// The folder part of a path (`.` for a bare name).
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The jobs of a GitHub Actions log archive — names with both a top-level `N_name.txt` and a
    /// `name/` folder — or nil when the archive does not have that shape.
    static func actionsJobs(_ names: [String]) -> Set<String>? {
        var logs: Set<String> = []
        var folders: Set<String> = []
        for name in names {
            let parts = name.split(separator: "/", omittingEmptySubsequences: true)
            if parts.count == 1, let job = actionsJobName(parts[0]) { logs.insert(job) }
            if parts.count > 1 { folders.insert(String(parts[0])) }
        }
        let jobs = logs.intersection(folders)
        return jobs.isEmpty ? nil : jobs
    }

    /// `build` for `0_build.txt`: a GitHub Actions job log's name without its number.
    static func actionsJobName(_ file: Substring) -> String? {
        guard file.hasSuffix(".txt"), let underscore = file.firstIndex(of: "_") else { return nil }
        let number = file[..<underscore]
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let name = file[file.index(after: underscore)..<file.index(file.endIndex, offsetBy: -4)]
        return name.isEmpty ? nil : String(name)
    }
}
