import Foundation
import Testing
import Faultline
import FaultlineCore
import FaultlineInput

/// Folders with link cycles and files reached by several names: each file is
/// read once, the walk ends, and what was passed over is told.
@Suite("Walking folders: each file once, link cycles end")
struct FolderWalkTests {
    /// `root/a/build.log` (a real sample), `root/a/copy.log` → it, `root/a/up` → `root`,
    /// `root/b/back` → `root/a`, `root/b/self` → `root/b`: two cycles, which a walk by
    /// name enumerates exponentially often.
    static func cyclicFolder(_ name: String) throws -> String {
        let root = try BatchSupport.scratchFolder(name)
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/b", withIntermediateDirectories: true)
        try fm.copyItem(atPath: TestSupport.samples.appendingPathComponent("go/dns-unreachable/build.log").path,
                        toPath: root + "/a/build.log")
        try fm.createSymbolicLink(atPath: root + "/a/copy.log", withDestinationPath: "build.log")
        try fm.createSymbolicLink(atPath: root + "/a/up", withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: root + "/b/back", withDestinationPath: "../a")
        try fm.createSymbolicLink(atPath: root + "/b/self", withDestinationPath: ".")
        return root
    }

    @Test("Two link cycles and a linked copy: one input, each skip told")
    func cycles() throws {
        let root = try Self.cyclicFolder("cycles")
        let (inputs, diagnostics) = InputResolver.resolve([root])
        #expect(inputs.map(\.path) == [root + "/a/build.log"])
        let codes = diagnostics.map { "\($0.code) \($0.input.dropFirst(root.count))" }
        #expect(codes == ["input.duplicate /a/copy.log", "input.link-cycle /a/up", "input.duplicate /b/back",
                          "input.link-cycle /b/self"])
        #expect(diagnostics.allSatisfy { $0.severity == .warning })
    }

    @Test("A log reached twice is one source: the copy neither adds an input nor raises confidence")
    func copiesDoNotAgree() throws {
        let root = try Self.cyclicFolder("copies")
        let once = TestSupport.analyze([root + "/a/build.log"])
        let walked = TestSupport.analyze([root, root + "/a/copy.log"])
        #expect(walked.inputs.map(\.path) == [root + "/a/build.log"])
        #expect(walked.inputs.allSatisfy { !$0.failed })
        #expect(walked.hypotheses.map(\.cause) == once.hypotheses.map(\.cause))
        #expect(walked.hypotheses.map(\.confidence) == once.hypotheses.map(\.confidence))
        #expect(walked.hypotheses.first?.sources == [0])
        #expect(walked.diagnostics.filter { $0.code == "input.duplicate" }.count == 3)
    }

    @Test("Batch walks the cycle once and tells what it skipped")
    func batch() throws {
        let root = try Self.cyclicFolder("batch")
        let (results, summary) = try BatchSupport.run([root])
        #expect(results.map(\.inputs) == [[root + "/a/build.log"]])
        #expect(summary.unreadable == 0)
        #expect(summary.notes.map(\.code).sorted() == ["input.duplicate", "input.duplicate", "input.link-cycle", "input.link-cycle"])
    }
}
