import FaultlineCore
import FaultlineInput

/// The second pass over an archive: reads it as a stream again and, for the
/// cases asked for, keeps their members' bytes in memory until a case's last
/// member has been read, then hands the case over — so only cases still being
/// read are held. Members of other cases are skipped; reading stops once every
/// case asked for is out.
///
/// A case whose members pass `limit` bytes gets a `batch.case-too-large`
/// diagnostic for each member left out; a member that cannot be read, and
/// every member not reached because the archive broke, gets a
/// `batch.archive-unreadable` diagnostic in its place.
struct ArchiveStreamer {
    let listing: BatchPlan.Listing
    let limit: Int

    /// A case being read: its members' sources by index in the listing.
    private struct Open {
        var rank: Int
        var key: String
        var indices: [Int]
        var extra: [Diagnostic]
        var sources: [Int: InputSource] = [:]
        var bytes = 0
        var remaining: Int
    }

    /// Reads the members of `cases`, hands each case to `dispatch` once whole; the most cases held at once.
    @discardableResult
    func stream(cases: [(rank: Int, case: BatchPlan.Case)], dispatch: (Int, String, [InputSource]) -> Void) -> Int {
        var held = 0
        var mostHeld = 0
        var open: [Open] = []
        var owner: [Int: Int] = [:]
        for item in cases {
            guard case .members(_, let indices) = item.case.contents else { continue }
            for index in indices { owner[index] = open.count }
            open.append(Open(rank: item.rank, key: item.case.key, indices: indices, extra: item.case.diagnostics,
                             remaining: indices.count))
        }
        var left = open.filter { $0.remaining > 0 }.count
        func finish(_ slot: Int, failure: Diagnostic?) {
            let item = open[slot]
            var sources: [InputSource] = []
            for index in item.indices {
                let name = ArchiveMember.displayName(archive: listing.path, member: listing.members[index].name)
                if let source = item.sources[index] {
                    sources.append(source)
                } else {
                    var diagnostic = failure ?? Diagnostic(code: "batch.archive-unreadable", message: "not found on a second read",
                                                           input: name)
                    diagnostic.input = name
                    diagnostic.message = "not read: " + diagnostic.message
                    sources.append(.unreadable(diagnostic))
                }
            }
            dispatch(item.rank, item.key, sources + item.extra.map(InputSource.unreadable))
            if !item.sources.isEmpty { held -= 1 }
            open[slot].remaining = -1
            open[slot].sources = [:]
        }
        // A case of no members (impossible from a listing, but harmless) goes out at once.
        for slot in open.indices where open[slot].remaining == 0 { finish(slot, failure: nil) }

        var failure: Diagnostic?
        do {
            let reader = try ArchiveReader(path: listing.path)
            var fileIndex = 0
            reading: while left > 0 {
                switch reader.next() {
                case .success(nil):
                    break reading
                case .failure(let error):
                    failure = error
                    break reading
                case .success(let entry?):
                    let name = ArchiveMember.displayName(archive: listing.path, member: entry.name)
                    guard ArchiveMember.isAnalysed(entry) else {
                        if let error = reader.skipData(member: name) { failure = error; break reading }
                        continue
                    }
                    let index = fileIndex
                    fileIndex += 1
                    guard let slot = owner[index], open[slot].remaining > 0 else {
                        if let error = reader.skipData(member: name) { failure = error; break reading }
                        continue
                    }
                    if open[slot].sources.isEmpty {
                        held += 1
                        mostHeld = max(mostHeld, held)
                    }
                    let room = limit - open[slot].bytes
                    if room <= 0 {
                        open[slot].sources[index] = .unreadable(tooLarge(name))
                        if let error = reader.skipData(member: name) { failure = error; break reading }
                    } else {
                        switch reader.readData(limit: room, member: name, expected: entry.size) {
                        case .success(let data):
                            open[slot].bytes += data.bytes.count
                            open[slot].sources[index] = data.truncated ? .unreadable(tooLarge(name)) : .bytes(name: name, data.bytes)
                            if data.truncated { open[slot].bytes = limit }
                        case .failure(let error):
                            // The member is lost; the next header says whether the archive goes on (a zip does).
                            open[slot].sources[index] = .unreadable(error)
                        }
                    }
                    open[slot].remaining -= 1
                    if open[slot].remaining == 0 {
                        finish(slot, failure: nil)
                        left -= 1
                    }
                }
            }
        } catch {
            failure = error
        }
        for slot in open.indices where open[slot].remaining > 0 {
            finish(slot, failure: failure)
        }
        return mostHeld
    }

    private func tooLarge(_ name: String) -> Diagnostic {
        Diagnostic(code: "batch.case-too-large",
                   message: "the case's archive members pass \(limit >> 20) MiB; this member was not analysed",
                   input: name)
    }
}
