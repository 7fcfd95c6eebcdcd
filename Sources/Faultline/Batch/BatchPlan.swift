#if canImport(Glibc)
import Glibc
#endif
import FaultlineCore
import FaultlineInput

/// Every case of a batch, found before any is analysed: files on disk grouped
/// by key, and the members of each archive (from a first pass over its
/// headers, which reads no member's bytes into memory) grouped the same way.
/// Holds names only, never contents or reports.
struct BatchPlan {
    /// What one case is made of.
    enum Contents {
        /// Files on disk, in the order `analyze` reads them.
        case files([String])
        /// Members of `archives[archive]`, by index in its listing, sorted by name.
        case members(archive: Int, indices: [Int])
        /// Nothing could be read; the diagnostic says why.
        case unreadable(Diagnostic)
    }

    /// One case.
    struct Case {
        var key: String
        var contents: Contents
        /// Problems found while listing that belong to this case (an archive cut after its last member).
        var diagnostics: [Diagnostic] = []
    }

    /// An archive's analysed members (`ArchiveMember.isAnalysed`) in stored order, and the error that ended its listing early.
    struct Listing {
        var path: String
        var members: [ArchiveReader.Entry]
        var error: Diagnostic?
    }

    var cases: [Case] = []
    var archives: [Listing] = []
    /// What the walk passed over (a file reached twice, a link cycle), told once on standard error.
    var notes: [Diagnostic] = []

    /// Walks `paths` (folders recursively, hidden entries skipped, names sorted) and lists archives.
    init(paths: [String], grouping: CaseGrouping) {
        // "-" is a file of that name here, never standard input.
        let (found, diagnostics) = InputResolver.resolve(paths.map { $0 == "-" ? "./-" : $0 })
        let files = found.map(\.path)
        for diagnostic in diagnostics {
            if diagnostic.severity == .error {
                cases.append(Case(key: diagnostic.input, contents: .unreadable(diagnostic)))
            } else {
                notes.append(diagnostic)
            }
        }
        var fileCases: [String: Int] = [:]
        for file in files {
            if ArchiveSniffer.isArchive(file) {
                addArchive(file, grouping: grouping)
                continue
            }
            let key = grouping.key(forFile: file)
            if let index = fileCases[key], case .files(var list) = cases[index].contents {
                list.append(file)
                cases[index].contents = .files(list)
            } else {
                fileCases[key] = cases.count
                cases.append(Case(key: key, contents: .files([file])))
            }
        }
    }

    /// Lists an archive's members (first pass) and adds a case per key.
    private mutating func addArchive(_ path: String, grouping: CaseGrouping) {
        var listing = Listing(path: path, members: [], error: nil)
        do {
            let reader = try ArchiveReader(path: path)
            listing: while true {
                switch reader.next() {
                case .success(nil): break listing
                case .success(let entry?):
                    if ArchiveMember.isAnalysed(entry) { listing.members.append(entry) }
                    if let error = reader.skipData(member: ArchiveMember.displayName(archive: path, member: entry.name)) {
                        listing.error = error
                        break listing
                    }
                case .failure(let error):
                    listing.error = error
                    break listing
                }
            }
        } catch {
            listing.error = error
        }
        let archive = archives.count
        archives.append(listing)
        let keys = grouping.keys(forMembers: listing.members.map(\.name), archive: path)
        var order: [String] = []
        var byKey: [String: [Int]] = [:]
        for (index, key) in keys.enumerated() {
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(index)
        }
        for key in order {
            let indices = (byKey[key] ?? []).sorted { listing.members[$0].name < listing.members[$1].name }
            cases.append(Case(key: key, contents: .members(archive: archive, indices: indices)))
        }
        // An archive cut short still says so: in the case of its last member read, or in a row of its own.
        if let error = listing.error {
            if order.isEmpty {
                cases.append(Case(key: path, contents: .unreadable(error)))
            } else if let last = keys.last, let index = cases.lastIndex(where: { $0.key == last }) {
                cases[index].diagnostics.append(error)
            }
        }
    }
}
