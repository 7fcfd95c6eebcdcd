import Foundation
import Testing
import Faultline
import FaultlineDecode

/// Reading thread dumps in tests: the conformance folder, its index, and
/// decoding bytes in a chosen chunking.
enum JstackSupport {
    static var conformance: URL { TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Conformance/jstack") }
    static var samples: URL { TestSupport.samples.appendingPathComponent("jvm") }

    static func bytes(_ url: URL) -> [UInt8] {
        (FileManager.default.contents(atPath: url.path)).map { Array($0) } ?? []
    }

    /// Every dump of `bytes`, analysed, read in chunks of `chunk` bytes.
    static func read(_ bytes: [UInt8], form: ThreadDumpReader.Form = .text, chunk: Int = 1 << 20,
                     timeZone: DumpTimeZone = .utc, path: String = "test") -> (dumps: [ThreadDumpReader.AnalysedDump], diagnostics: [Diagnostic]) {
        var reader = ThreadDumpReader(form: form, inputPath: path, timeZone: timeZone)
        var dumps: [ThreadDumpReader.AnalysedDump] = []
        bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(raw.count, start + max(1, chunk))
                reader.feed(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                dumps += reader.takeDumps()
                start = end
            }
        }
        reader.finish()
        dumps += reader.takeDumps()
        return (dumps, reader.diagnostics)
    }

    /// The events the `jstack` decoder gives for `bytes` read in chunks of `chunk` bytes.
    static func events(_ bytes: [UInt8], form: ThreadDumpReader.Form = .text, chunk: Int) -> (events: [Event], diagnostics: [Diagnostic]) {
        let knowledge = TestSupport.knowledge
        var decoder = ThreadDumpDecoder(inputIndex: 0, inputPath: "test", form: form,
                                        layers: knowledge.causes.mapValues(\.layer), anchors: knowledge.anchors)
        var events: [Event] = []
        bytes.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(raw.count, start + max(1, chunk))
                decoder.decode(UnsafeRawBufferPointer(rebasing: raw[start..<end]), into: &events)
                start = end
            }
        }
        decoder.finish(into: &events)
        return (events, decoder.diagnostics)
    }

    /// An event as a comparable line: kind, place, time, cause, confidence, subjects, text.
    static func fingerprint(_ event: Event) -> String {
        let subjects = event.subjects.sortedKeys.map { "\($0)=\(event.subjects[$0] ?? "")" }.joined(separator: ",")
        return "\(event.kind)|\(event.location.line ?? -1)|\(event.location.byteOffset ?? -1)|\(event.time.seconds ?? -1)|"
            + "\(event.cause ?? "-")|\(event.confidence)|\(subjects)|\(event.text)"
    }

    /// One row of `Conformance/jstack/INDEX.tsv`, with the numbers its free-text columns state.
    struct IndexRow: Sendable, CustomTestStringConvertible {
        var file: String
        var jdk: String
        /// Dumps with a `Full thread dump` header (0: the file starts at its first thread).
        var headerDumps: Int
        var threads: Int
        /// `Thread.State` counts the row states, e.g. `["WAITING": 19, …]`.
        var states: [String: Int]
        /// Threads without a state line, when the row states their number (`10 VM/GC threads`).
        var stateless: Int?
        /// JDK 5: counts of the header's state words (`in Object.wait() 238`), summed over dumps.
        var headerWords: [String: Int]
        /// Deadlock cycles the row states (0 for `no`).
        var deadlocks: Int
        /// Whether the row says the JVM's own section reports them.
        var reportedByJVM: Bool
        var shows: String

        var testDescription: String { file }

        static let all: [IndexRow] = {
            guard let data = FileManager.default.contents(atPath: conformance.appendingPathComponent("INDEX.tsv").path),
                  let text = String(data: data, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").dropFirst().compactMap { parse(String($0)) }
        }()

        static func parse(_ line: String) -> IndexRow? {
            let columns = line.components(separatedBy: "\t")
            guard columns.count >= 10 else { return nil }
            let dumps = Int(columns[5].prefix(while: \.isNumber)) ?? 0
            let threads = Int(columns[6].prefix(while: \.isNumber)) ?? 0
            let stateText = columns[8]
            var states: [String: Int] = [:]
            var headerWords: [String: Int] = [:]
            var stateless: Int?
            if let range = stateText.range(of: "header words") {
                var rest = stateText[range.upperBound...]
                if rest.hasPrefix(" per dump") { rest = rest.dropFirst(9) }
                rest = rest.drop(while: { $0 == ":" || $0 == " " })
                let perDump = stateText.contains("per dump")
                for part in rest.components(separatedBy: ", ") {
                    let words = part.split(separator: " ")
                    guard let last = words.last, let count = Int(last) else { continue }
                    headerWords[words.dropLast().joined(separator: " ")] = count * (perDump ? dumps : 1)
                }
            } else {
                for part in stateText.components(separatedBy: CharacterSet(charactersIn: ",(")) {
                    let words = part.trimmingCharacters(in: .whitespaces).split(separator: " ")
                    if words.count == 2, ThreadState(rawValue: String(words[0])) != nil, let count = Int(words[1]) {
                        states[String(words[0])] = count
                    } else if words.count >= 2, let count = Int(words[0]), part.contains("VM/GC threads") {
                        stateless = count
                    }
                }
            }
            let deadlockText = columns[7]
            var deadlocks = 0
            if deadlockText.hasPrefix("yes") {
                let afterYes = deadlockText.dropFirst(3).drop(while: { $0 == "," || $0 == " " })
                deadlocks = Int(afterYes.prefix(while: \.isNumber)) ?? 1
            }
            let reported = deadlockText.contains("JVM") && !deadlockText.contains("NOT reported")
            return IndexRow(file: columns[0], jdk: columns[4], headerDumps: dumps, threads: threads, states: states,
                            stateless: stateless, headerWords: headerWords, deadlocks: deadlocks,
                            reportedByJVM: reported || deadlockText.contains("deadlocks."), shows: columns[9])
        }
    }
}
