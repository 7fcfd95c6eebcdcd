import Foundation
import Faultline

/// Paths and shared fixtures for the tests: the repository root (found from
/// this file's path, so tests run from any directory), the default
/// knowledge base, and scratch files.
enum TestSupport {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var samples: URL { root.appendingPathComponent("Samples") }
    static var pipelines: String { root.appendingPathComponent("Pipelines").path }

    static let knowledge: KnowledgeBase = {
        do {
            return try KnowledgeBaseLoader.load(pipeline: "default", directory: root.appendingPathComponent("Pipelines").path)
        } catch {
            fatalError("the default pipeline must load in tests: \(error)")
        }
    }()

    /// Runs a program to its end with standard output discarded: its exit status and what it wrote on standard error.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    static func analyze(_ paths: [String], timeline: Bool = false) -> Report {
        var analyzer = Analyzer(knowledge: knowledge)
        analyzer.includeTimeline = timeline
        return analyzer.analyze(paths: paths)
    }

    /// Feeds `bytes` to `decoder` in chunks of `chunk` bytes, then finishes it: the events it gave.
    static func feed<Decoder: ByteDecoder>(_ decoder: inout Decoder, _ bytes: [UInt8], chunk: Int) -> [Event] {
        var events: [Event] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            bytes[offset..<end].withUnsafeBytes { decoder.decode($0, into: &events) }
            offset = end
        }
        decoder.finish(into: &events)
        return events
    }

    /// Writes `bytes` to a new file in a scratch folder and returns its path.
    static func scratchFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func scratchFile(_ name: String, _ text: String) throws -> String {
        try scratchFile(name, Array(text.utf8))
    }
}
