import Foundation
import Testing
import Faultline

@Suite("Batch: many cases, each analysed like analyze")
struct BatchTests {
    @Test("every case of a folder of samples gets exactly the report `analyze` gives for its folder")
    func folderCasesEqualAnalyze() throws {
        let root = TestSupport.samples.appendingPathComponent("go").path
        let (results, summary) = try BatchSupport.run([root])
        let folders = try FileManager.default.contentsOfDirectory(atPath: root).filter { !$0.hasPrefix(".") }.sorted()
        #expect(results.map(\.key).sorted() == folders.map { root + "/" + $0 })
        #expect(summary.cases == folders.count && summary.unreadable == 0)
        for result in results {
            let alone = TestSupport.analyze([result.key])
            #expect(BatchSupport.json(result.report) == BatchSupport.json(alone), "case \(result.key)")
        }
    }

    @Test("an archive's case reports equal the folder's, whatever the archive format",
          arguments: [ArchiveWriter.Kind.tar, .tarGzip, .tarZstd, .zip])
    func archiveCasesEqualFolders(kind: ArchiveWriter.Kind) throws {
        let dir = try BatchSupport.scratchFolder("kind-\(kind)")
        let archive = dir + "/logs.archive"
        try BatchSupport.writeArchive(archive, kind: kind,
                                      members: try BatchSupport.sampleMembers("go", cases: BatchSupport.goCases, prefix: "go/"))
        let (results, summary) = try BatchSupport.run([archive])
        #expect(results.map(\.key).sorted() == BatchSupport.goCases.sorted().map { archive + "!/go/" + $0 })
        #expect(summary.unreadable == 0)
        let samples = TestSupport.samples.path + "/"
        for result in results {
            let name = String(result.key.split(separator: "/").last ?? "")
            let folder = TestSupport.analyze([samples + "go/" + name])
            let renamed = BatchSupport.json(result.report).replacingOccurrences(of: archive + "!/", with: samples)
            #expect(renamed == BatchSupport.json(folder), "case \(name)")
            #expect(result.inputs.allSatisfy { $0.hasPrefix(archive + "!/go/" + name + "/") })
        }
    }

    @Test("a GitHub Actions log archive gives one case per job: its N_job.txt and its step logs")
    func actionsArchive() throws {
        let dir = try BatchSupport.scratchFolder("actions")
        let archive = dir + "/logs_123.zip"
        let failing = Array("2026-01-05T10:00:01.0000000Z go: example.com/m@v1.0.0: reading https://proxy.golang.org/example.com/m/@v/v1.0.0.mod: 404 Not Found\n".utf8)
        let fine = Array("2026-01-05T10:00:01.0000000Z ok  \texample.com/m\t0.012s\n".utf8)
        try BatchSupport.writeArchive(archive, kind: .zip, members: [
            ("build/1_Set up job.txt", Array("2026-01-05T10:00:00.0000000Z Current runner version: '2.330.0'\n".utf8)),
            ("build/2_Run go build.txt", failing),
            ("test/1_Set up job.txt", fine),
            ("0_build.txt", failing),
            ("1_test.txt", fine),
            ("__MACOSX/._0_build.txt", [0, 5, 22, 7]),
            ("build/.hidden.txt", failing),
        ])
        let (results, _) = try BatchSupport.run([archive])
        let byKey = Dictionary(uniqueKeysWithValues: results.map { ($0.key, $0) })
        #expect(byKey.keys.sorted() == [archive + "!/build", archive + "!/test"])
        #expect(byKey[archive + "!/build"]?.inputs == ["0_build.txt", "build/1_Set up job.txt", "build/2_Run go build.txt"].map { archive + "!/" + $0 })
        #expect(byKey[archive + "!/test"]?.inputs == ["1_test.txt", "test/1_Set up job.txt"].map { archive + "!/" + $0 })
        #expect(byKey[archive + "!/build"].map { BatchSupport.topCause($0.report) } == "module_not_found")
    }

    @Test("--case-key groups files by its first capture group, across folders")
    func caseKeyPattern() throws {
        let dir = try BatchSupport.scratchFolder("casekey")
        let log = "go: example.com/m@v1.0.0: reading https://proxy.golang.org/example.com/m/@v/v1.0.0.mod: 404 Not Found\n"
        for (path, text) in [("a/run-1.build.log", log), ("b/run-1.test.log", "ok\n"), ("a/run-2.build.log", "ok\n")] {
            try FileManager.default.createDirectory(atPath: dir + "/" + BatchSupportPaths.parent(path), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + path))
        }
        let (results, _) = try BatchSupport.run([dir]) { $0.caseKey = "(run-[0-9]+)\\." }
        let byKey = Dictionary(uniqueKeysWithValues: results.map { ($0.key, $0.inputs) })
        #expect(byKey == ["run-1": [dir + "/a/run-1.build.log", dir + "/b/run-1.test.log"], "run-2": [dir + "/a/run-2.build.log"]])
        #expect(throws: BatchError.self) { try BatchRunner(knowledge: TestSupport.knowledge, options: { var o = BatchOptions(); o.caseKey = "(["; return o }()) }
    }

    @Test("shards 1/3, 2/3 and 3/3 together hold every case of the unsharded run exactly once, with equal rows")
    func shardsCoverOnce() throws {
        let dir = try BatchSupport.scratchFolder("shards")
        let archive = dir + "/npm.tgz"
        try BatchSupport.writeArchive(archive, kind: .tarGzip,
                                      members: try BatchSupport.sampleMembers("npm", cases: BatchSupport.npmCases))
        let paths = [TestSupport.samples.appendingPathComponent("go").path, archive]
        let whole = try BatchSupport.run(paths).results
        var parts: [BatchResult] = []
        for k in 1...3 {
            let shard = try Shard(index: k, count: 3)
            let part = try BatchSupport.run(paths) { $0.shard = shard }.results
            #expect(part.allSatisfy { shard.contains(key: $0.key) })
            parts += part
        }
        #expect(parts.count == whole.count)
        #expect(parts.map(\.key).sorted() == whole.map(\.key).sorted())
        let wholeLines = Dictionary(uniqueKeysWithValues: whole.map { ($0.key, $0.line) })
        for part in parts { #expect(part.line == wholeLines[part.key]) }
        #expect(Shard.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test("--sorted writes the lines in key order, the same lines as completion order")
    func sortedOrder() throws {
        let dir = try BatchSupport.scratchFolder("sorted")
        let archive = dir + "/logs.zip"
        // Stored out of key order, and more cases than one reorder window (64).
        var members: [(String, [UInt8])] = []
        for i in (0..<80).reversed() {
            members.append(("case-\(i)/build.log", Array("go: example.com/m\(i)@v1.0.0: reading https://proxy.golang.org/x: 404 Not Found\n".utf8)))
        }
        try BatchSupport.writeArchive(archive, kind: .zip, members: members)
        let sorted = try BatchSupport.run([archive]) { $0.sorted = true }.results
        let unsorted = try BatchSupport.run([archive]).results
        #expect(sorted.map(\.key) == sorted.map(\.key).sorted())
        #expect(sorted.count == 80)
        #expect(Set(sorted.map(\.line)) == Set(unsorted.map(\.line)))
        #expect(unsorted.count == 80)
    }

    @Test("an archive whose cases interleave is read in passes that hold at most openCaseLimit cases, with the same rows")
    func interleavedArchive() throws {
        let dir = try BatchSupport.scratchFolder("interleaved")
        let archive = dir + "/interleaved.zip"
        // Every case's build.log first, then every case's second log: a single pass would hold all 40 cases.
        var members: [(String, [UInt8])] = []
        for i in 0..<40 {
            members.append(("case-\(i)/build.log", Array("go: example.com/m\(i)@v1.0.0: reading https://proxy.golang.org/x: 404 Not Found\n".utf8)))
        }
        for i in 0..<40 { members.append(("case-\(i)/test.log", Array("ok  \texample.com/m\(i)\t0.01s\n".utf8))) }
        try BatchSupport.writeArchive(archive, kind: .zip, members: members)
        let whole = try BatchSupport.run([archive])
        let passes = try BatchSupport.run([archive]) { $0.openCaseLimit = 6 }
        #expect(whole.summary.mostCasesHeld == 40)
        #expect(passes.summary.mostCasesHeld <= 6)
        #expect(passes.results.count == 40)
        #expect(Set(passes.results.map(\.line)) == Set(whole.results.map(\.line)))
        #expect(passes.results.allSatisfy { $0.inputs.count == 2 && BatchSupport.topCause($0.report) == "module_not_found" })
    }

    @Test("a truncated archive: the cases read before the cut are analysed, the cut is in a row, the other paths go on")
    func truncatedArchive() throws {
        let dir = try BatchSupport.scratchFolder("truncated")
        let archive = dir + "/cut.tgz"
        // Incompressible bytes last, so the cut falls inside them, well after the samples' members.
        var state: UInt64 = 42
        let noise: [UInt8] = (0..<400_000).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        try BatchSupport.writeArchive(archive, kind: .tarGzip,
                                      members: try BatchSupport.sampleMembers("go", cases: BatchSupport.goCases) + [("zz/noise.bin", noise)])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        bytes = bytes.prefix(bytes.count - 100_000)
        try bytes.write(to: URL(fileURLWithPath: archive))
        let good = TestSupport.samples.appendingPathComponent("go/module-404").path
        let (results, summary) = try BatchSupport.run([archive, good])
        let byKey = Dictionary(uniqueKeysWithValues: results.map { ($0.key, $0) })
        #expect(byKey[good].map { BatchSupport.topCause($0.report) } == "module_not_found")
        let broken = results.filter(\.hasUnreadableInput)
        #expect(broken.count == 1)
        #expect(summary.unreadable == 1)
        let codes = broken.flatMap { $0.report.diagnostics.map(\.code) }
        #expect(codes.contains("batch.archive-unreadable"))
        #expect(broken.first?.report.diagnostics.contains { $0.code == "batch.archive-unreadable" && $0.byteOffset != nil } == true)
        #expect(broken.first?.key == archive + "!/zz")
        // The cases stored whole before the cut are analysed as usual.
        #expect(results.contains { $0.key == archive + "!/dns-refused" && BatchSupport.topCause($0.report) == "dns_refused" })
        #expect(results.count == BatchSupport.goCases.count + 2)
    }

    @Test("a corrupt zip member is reported in its case; the members after it are still read")
    func corruptZipMember() throws {
        let dir = try BatchSupport.scratchFolder("corruptzip")
        let archive = dir + "/bad.zip"
        var text = ""
        for i in 0..<3000 { text += "go: downloading example.com/m\(i) v1.0.0 and some words to compress \(i * 7)\n" }
        let members: [(String, [UInt8])] = [
            ("a/build.log", Array(text.utf8)),
            ("b/build.log", Array("go: example.com/m@v1.0.0: reading https://proxy.golang.org/x: 404 Not Found\n".utf8)),
        ]
        try BatchSupport.writeArchive(archive, kind: .zip, members: members)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: archive)))
        for offset in 200..<260 { bytes[offset] ^= 0x5a } // inside a/build.log's deflated data
        try Data(bytes).write(to: URL(fileURLWithPath: archive))
        let (results, summary) = try BatchSupport.run([archive])
        let byKey = Dictionary(uniqueKeysWithValues: results.map { ($0.key, $0) })
        #expect(byKey[archive + "!/a"]?.hasUnreadableInput == true)
        #expect(byKey[archive + "!/a"]?.report.diagnostics.first?.input == archive + "!/a/build.log")
        #expect(byKey[archive + "!/b"].map { BatchSupport.topCause($0.report) } == "module_not_found")
        #expect(summary.unreadable == 1)
    }

    @Test("a case past the byte limit keeps what fits and names each member left out")
    func caseByteLimit() throws {
        let dir = try BatchSupport.scratchFolder("limit")
        let archive = dir + "/big.tar"
        let log = Array("go: example.com/m@v1.0.0: reading https://proxy.golang.org/x: 404 Not Found\n".utf8)
        try BatchSupport.writeArchive(archive, kind: .tar, members: [
            ("c/1.log", log), ("c/2.log", [UInt8](repeating: 0x41, count: 5000)), ("c/3.log", log),
        ])
        let (results, summary) = try BatchSupport.run([archive]) { $0.caseByteLimit = 4096 }
        #expect(results.count == 1)
        let report = try #require(results.first?.report)
        #expect(report.diagnostics.filter { $0.code == "batch.case-too-large" }.map(\.input) == [archive + "!/c/2.log", archive + "!/c/3.log"])
        #expect(BatchSupport.topCause(report) == "module_not_found")
        #expect(summary.unreadable == 1)
    }
}

/// Path helpers for the batch tests.
enum BatchSupportPaths {
    static func parent(_ path: String) -> String {
        path.split(separator: "/").dropLast().joined(separator: "/")
    }
}
