import Foundation
import Faultline

/// The built `faultline` binary, run the way a person runs it: pipes on its
/// standard streams, read and written from threads of their own so that no
/// pipe fills up and blocks it.
final class LiveProcess: @unchecked Sendable {
    /// `faultline` beside the test runner (`.build/debug`), else under the repository's `.build/debug`.
    static let binary: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("faultline")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return TestSupport.root.appendingPathComponent(".build/debug/faultline")
    }()

    let process = Process()
    let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSCondition()
    private var stderrBytes: [UInt8] = []
    private var stdoutCount = 0
    private var stdoutMismatch: Int?
    private var stdoutKept: [UInt8] = []
    private var finishedReading = 0
    /// What standard output must be, compared as it arrives (nil: kept in `stdoutKept`).
    private let expected: [UInt8]?

    /// - Parameter executable: another program to run instead (`script`, which runs faultline on a terminal).
    init(_ arguments: [String], executable: URL? = nil, expecting expected: [UInt8]? = nil) throws {
        self.expected = expected
        process.executableURL = executable ?? Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        Thread { self.readStdout() }.start()
        Thread { self.readStderr() }.start()
    }

    private func readStdout() {
        drain(output.fileHandleForReading) { data in
            if let expected {
                if stdoutMismatch == nil {
                    let end = stdoutCount + data.count
                    if end > expected.count || !data.elementsEqual(expected[stdoutCount..<end]) { stdoutMismatch = stdoutCount }
                }
            } else {
                stdoutKept += data
            }
            stdoutCount += data.count
        }
    }

    private func readStderr() {
        drain(errors.fileHandleForReading) { stderrBytes += $0 }
    }

    /// Reads `handle` to its end, handing each piece to `take` under the lock, then counts the stream finished.
    private func drain(_ handle: FileHandle, _ take: (Data) -> Void) {
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            lock.lock()
            take(data)
            lock.broadcast()
            lock.unlock()
        }
        lock.lock()
        finishedReading += 1
        lock.broadcast()
        lock.unlock()
    }

    /// Writes to the process's standard input.
    func write(_ bytes: [UInt8]) {
        input.fileHandleForWriting.write(Data(bytes))
    }

    /// Writes on a thread of its own, then closes standard input.
    func writeInBackground(_ bytes: [UInt8], close: Bool = true) {
        let handle = input.fileHandleForWriting
        Thread {
            handle.write(Data(bytes))
            if close { try? handle.close() }
        }.start()
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    /// Waits until standard error holds `text` (true) or the process ended without it (false).
    /// The limit only keeps a broken build from hanging the suite; nothing is timed.
    func waitForStderr(containing text: String, limit: TimeInterval = 120) -> Bool {
        let deadline = Date(timeIntervalSinceNow: limit)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if String(decoding: stderrBytes, as: UTF8.self).contains(text) { return true }
            if finishedReading == 2 || !lock.wait(until: deadline) { return false }
        }
    }

    /// Waits until standard output (kept, not compared) holds `text`, or it ended without it.
    func waitForStdout(containing text: String, limit: TimeInterval = 120) -> Bool {
        let deadline = Date(timeIntervalSinceNow: limit)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if String(decoding: stdoutKept, as: UTF8.self).contains(text) { return true }
            if finishedReading == 2 || !lock.wait(until: deadline) { return false }
        }
    }

    /// Waits for the process to exit and both its outputs to end.
    @discardableResult
    func wait() -> Int32 {
        process.waitUntilExit()
        lock.lock()
        while finishedReading < 2 { lock.wait() }
        lock.unlock()
        return process.terminationStatus
    }

    var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: stderrBytes, as: UTF8.self)
    }

    var stdout: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return stdoutKept
    }

    /// Bytes seen on standard output, and the offset of the first one that differed from `expected`.
    var stdoutCheck: (count: Int, mismatch: Int?) {
        lock.lock()
        defer { lock.unlock() }
        return (stdoutCount, stdoutMismatch)
    }
}
