public import FaultlineCore

/// The decode stage for text build logs: Go and npm output, bare or inside
/// `docker build` (BuildKit or legacy) and CI logs (GitHub Actions, GitLab).
///
/// A `LiteralLineScanner` finds the rare lines worth reading — those holding
/// a rule signature's anchor or a wrapper's structural marker — and only those
/// are unwrapped and turned into events. Build steps (Docker instructions, CI
/// groups) are tracked so every event knows the step it happened in, and a
/// step's failure becomes a `step.failed` event that correlation links back to
/// the errors inside it.
///
/// Given an `NpmDebugLog`, it reads npm's debug log the same way: each line's
/// `N level ` prefix is peeled (`NpmDebugLogPrefix`), lines are dated from the
/// file name, and `http fetch` lines become request events.
///
/// Given a way to make a `ThreadDumpDecoder`, it hands the rest of the input
/// over to one at the first `Full thread dump` line: a service's log that
/// received `kill -3` long after it started (past what format detection
/// looks at) is read as the dumps it holds, with the log's own line numbers.
public struct BuildLogDecoder: ByteDecoder {
    /// Markers of the wrappers themselves; always scanned for, whatever the rule packs say.
    public static let structuralAnchors = [
        "] RUN ", "] COPY ", "Step ", "##[", "section_", "ERROR", "returned a non-zero code",
        "failed to solve", "executor failed running", "Dockerfile:", "------", " > [",
        // CI runners' own lines about commands and builds (StepTracker.runnerVerdict).
        "[0K$ ", "[32;1m$ ", "$ ", "The command \"", "Done. Your build exited", "Finished: ", "script returned exit code", "Job succeeded",
        "Exited with code ", "The command exited with status ", "exited with code ", "failed with exit code: ",
        // Podman/Buildah steps (`STEP 3/9: RUN …`), golangci's build runner (`[STEP] go mod download`).
        "STEP ", "[STEP] ", "failed to run command \"",
        // npm's own error lines: a failure even when no signature knows what they say.
        "npm ERR! ", "npm error ",
        // yarn's own word that it finished (`✨  Done in 3.2s.`); npm's `added N packages` is read when
        // another anchor brings its line (npm logs are recognised as such, and need no word of success).
        "✨  Done in ",
    ]

    public let inputIndex: Int
    public let inputPath: String
    private var scanner: LiteralLineScanner
    private var envelope = EnvelopeParser()
    private var steps = StepTracker()
    private var tests = TestOutputTracker()
    /// Whether a tool's word of success became an event already.
    private var toolSuccessReported = false
    /// Hashes of the BuildKit vertex lines read, to tell an excerpt line that repeats one.
    private var vertexPayloads: Set<Int> = []
    private var ownDiagnostics: [Diagnostic] = []
    private var wrappersSeen: Set<String> = []
    /// Longest payload text kept on an event.
    public var maxTextLength = 4096
    /// Set when the input is an npm debug log.
    private let npmDebugLog: NpmDebugLog?
    /// Makes the decoder that takes over at a thread dump (its first line and byte offset), if any.
    public typealias ThreadDumpHandOff = (_ firstLine: Int, _ firstOffset: Int) -> ThreadDumpDecoder
    private let makeDumpDecoder: ThreadDumpHandOff?
    /// The decoder reading the rest of the input since a thread dump began.
    private var dumpDecoder: ThreadDumpDecoder?
    /// The last `recentBytes` of the input before the current chunk (only while watching for dumps).
    private var recent: [UInt8] = []
    /// The number of the last line turned into an event here.
    private var lastInterpreted = 0
    static let threadDumpMarker: StaticString = "Full thread dump "

    /// - Parameters:
    ///   - anchors: literals whose lines are worth decoding (from the rule packs).
    ///   - maxLineLength: longer lines are cut there and reported.
    ///   - npmDebugLog: set when the input is an npm debug log.
    ///   - threadDumps: makes the decoder that takes over at a `Full thread dump` line.
    public init(inputIndex: Int, inputPath: String, anchors: [String], maxLineLength: Int = 1 << 20,
                npmDebugLog: NpmDebugLog? = nil, threadDumps: ThreadDumpHandOff? = nil) {
        self.inputIndex = inputIndex
        self.inputPath = inputPath
        self.npmDebugLog = npmDebugLog
        makeDumpDecoder = threadDumps
        scanner = LiteralLineScanner(literals: anchors + Self.structuralAnchors + TestOutputTracker.anchors
                                         + (npmDebugLog == nil ? [] : NpmDebugLog.anchors)
                                         + (threadDumps == nil ? [] : [Self.threadDumpMarker.description]),
                                     maxLineLength: maxLineLength)
    }

    /// Chooses the prefilter's probes from `sample` now, instead of from the first chunk: for a
    /// caller that copies one decoder for many small inputs (the fuzzing harnesses), so the
    /// choice is made once.
    public mutating func plan(sample: UnsafeRawBufferPointer) {
        scanner.plan(sample: sample)
    }

    public var recordsSeen: Int { dumpDecoder?.recordsSeen ?? scanner.linesSeen }
    public var recognised: [String] {
        ["github-actions", "gitlab-ci", "buildkit", "docker-legacy", "podman", "logger"].filter { wrappersSeen.contains($0) }
            + (dumpDecoder == nil ? [] : ["jvm"])
    }

    public var diagnostics: [Diagnostic] { ownDiagnostics + (dumpDecoder?.diagnostics ?? []) }

    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [Event]) {
        if dumpDecoder != nil {
            dumpDecoder?.decode(bytes, into: &events)
            return
        }
        var lines: [ReadLine] = []
        var overlong: [(Int, Int)] = []
        var envelope = self.envelope
        var tests = self.tests
        let chunkOffset = scanner.bytesSeen
        let watchingForDumps = makeDumpDecoder != nil
        // The first thread dump's line (raw, with its `\n`) and where the chunk goes on after it.
        var handOver: (number: Int, offset: Int, line: [UInt8], resume: Int)?
        scanner.scan(bytes, onLine: { line in
            guard handOver == nil else { return }
            if watchingForDumps, ByteText.find(Self.threadDumpMarker, in: line.bytes) != nil {
                handOver = (line.number, line.offset, Array(line.bytes) + [0x0A], line.offset + line.bytes.count + 1 - chunkOffset)
                return
            }
            if let read = Self.read(line.bytes, number: line.number, offset: line.offset, envelope: &envelope, tests: &tests) {
                lines.append(read)
            }
        }, onOverlong: { number, offset in
            overlong.append((number, offset))
        })
        self.envelope = envelope
        self.tests = tests
        for (number, offset) in overlong {
            ownDiagnostics.append(Diagnostic(
                code: "line.too-long",
                message: "line is longer than \(scanner.maxLineLength) bytes; only its first \(scanner.maxLineLength) bytes were read",
                input: inputPath, line: number, byteOffset: offset, severity: .warning))
        }
        var failureMarks: [(number: Int, offset: Int, event: Event)] = []
        for read in lines {
            let (number, offset) = (read.number, read.offset)
            let before = events.count
            interpret(read, into: &events)
            lastInterpreted = number
            if events.count > before, let last = events.last, last.kind == .stepFailed || last.kind == .buildFailed,
               failureMarks.count < 16 {
                failureMarks.append((number, offset, last))
            }
        }
        if !failureMarks.isEmpty {
            addContext(of: failureMarks, chunk: bytes, chunkOffset: chunkOffset, interpreted: Set(lines.map(\.number)), into: &events)
        }
        if let handOver, let make = makeDumpDecoder {
            // The line before the header is given to the dump decoder unless it already became an event here.
            dumpDecoder = Self.handOver(at: handOver.number, offset: handOver.offset, line: handOver.line, resume: handOver.resume,
                                        chunk: bytes, chunkOffset: chunkOffset, recent: lastInterpreted == handOver.number - 1 ? [] : recent,
                                        withPrevious: lastInterpreted != handOver.number - 1, make: make, into: &events)
            recent = []
        } else {
            // The input's last bytes before the next chunk: the line before a dump header, and
            // the lines above a failure mark, are at hand when they began in an earlier chunk.
            let keep = Self.recentBytes
            if bytes.count >= keep {
                recent = Array(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - keep)...]))
            } else {
                recent = Array(recent.suffix(keep - bytes.count)) + Array(bytes)
            }
        }
    }

    /// yarn's `✨  Done in 31.49s.` and npm's `added 1647 packages in 3m`: an install's own word that it finished.
    static func isInstallSummary(_ text: String) -> Bool {
        let trimmed = text.drop(while: { $0 == " " || $0 == "✨" })
        if trimmed.hasPrefix("Done in "), trimmed.hasSuffix("s.") { return true }
        return trimmed.hasPrefix("added ") && trimmed.contains(" package") && trimmed.contains(" in ")
    }

    /// Bytes kept from earlier chunks to find the line before a dump header and the lines above a failure.
    static let recentBytes = 16384

    /// Adds the lines a person would read above each failure mark (`FailureContext`) as
    /// error lines of the failed step, unless they already became events.
    private mutating func addContext(of marks: [(number: Int, offset: Int, event: Event)], chunk: UnsafeRawBufferPointer,
                                     chunkOffset: Int, interpreted: Set<Int>, into events: inout [Event]) {
        for mark in marks {
            let inChunk = mark.offset - chunkOffset
            guard inChunk >= 0, inChunk <= chunk.count else { continue }
            var window = Array(recent.suffix(max(0, Self.recentBytes - inChunk)))
            window += UnsafeRawBufferPointer(rebasing: chunk[max(0, inChunk - Self.recentBytes)..<inChunk])
            for picked in FailureContext.pick(before: window, reachesStart: mark.offset <= window.count, markLine: mark.number,
                                              markOffset: mark.offset, skipping: interpreted) {
                var text = picked.line.payload
                if text.utf8.count > maxTextLength { text = String(text.prefix(maxTextLength)) + "…" }
                events.append(Event(time: mark.event.time, location: SourceLocation(input: inputIndex, line: picked.number, byteOffset: picked.offset),
                                    kind: .logLine, severity: .error, text: text, step: mark.event.step))
            }
        }
    }

    /// Starts the thread-dump decoder at the header line — or at the line before it, jstack's
    /// timestamp line, when that line is within the last bytes seen — and feeds it the rest of the chunk.
    private static func handOver(at number: Int, offset: Int, line: [UInt8], resume: Int, chunk: UnsafeRawBufferPointer,
                                 chunkOffset: Int, recent: [UInt8], withPrevious: Bool, make: ThreadDumpHandOff,
                                 into events: inout [Event]) -> ThreadDumpDecoder {
        let window = recent + Array(chunk)
        let windowOffset = chunkOffset - recent.count
        let header = offset - windowOffset
        guard header >= 0 else {
            // The header line alone is longer than what was kept: start at it, from the scanner's copy.
            var dumps = make(number, offset)
            line.withUnsafeBytes { dumps.decode($0, into: &events) }
            if resume < chunk.count { dumps.decode(UnsafeRawBufferPointer(rebasing: chunk[max(0, resume)...]), into: &events) }
            return dumps
        }
        var from = header
        if withPrevious, header > 0, let end = window[..<(header - 1)].lastIndex(of: 0x0A) {
            from = end + 1
        } else if withPrevious, header > 0, windowOffset == 0 {
            from = 0
        }
        var dumps = make(from < header ? number - 1 : number, windowOffset + from)
        window.withUnsafeBytes { dumps.decode(UnsafeRawBufferPointer(rebasing: $0[from...]), into: &events) }
        return dumps
    }

    public mutating func finish(into events: inout [Event]) {
        if dumpDecoder != nil {
            dumpDecoder?.finish(into: &events)
            return
        }
        var last: ReadLine?
        var envelope = self.envelope
        var tests = self.tests
        scanner.finish { line in
            last = Self.read(line.bytes, number: line.number, offset: line.offset, envelope: &envelope, tests: &tests)
        }
        self.envelope = envelope
        self.tests = tests
        if let last { interpret(last, into: &events) }
    }

    /// A line the scanner found, as far as it is read before interpreting: unwrapped, with what
    /// it says about a test run and the test whose output it is.
    struct ReadLine {
        var number: Int
        var offset: Int
        var line: UnwrappedLine
        var test: TestOutputTracker.Mark?
        var context: String?
    }

    /// Reads a found line: a line that only moves the test tracker (`=== RUN`, the pass of a test
    /// nobody needs to hear about) is done with here, without being unwrapped.
    static func read(_ bytes: UnsafeRawBufferPointer, number: Int, offset: Int, envelope: inout EnvelopeParser,
                     tests: inout TestOutputTracker) -> ReadLine? {
        let mark = tests.observe(bytes)
        switch mark {
        case .running?, .passedQuietly?: return nil
        default: break
        }
        let context = mark == nil ? tests.context(of: bytes) : nil
        return ReadLine(number: number, offset: offset, line: envelope.unwrap(bytes), test: mark, context: context)
    }

    private mutating func interpret(_ read: ReadLine, into events: inout [Event]) {
        let (number, offset) = (read.number, read.offset)
        var line = read.line
        let npmLine = npmDebugLog == nil ? nil : NpmDebugLogPrefix.peel(&line)
        // A time before a logger's prefix is the logger's, not a CI runner's.
        let logged = line.wrappers.contains("logger")
        for wrapper in line.wrappers where !(logged && wrapper == "timestamp") {
            wrappersSeen.insert(wrapper == "timestamp" ? "github-actions" : wrapper)
        }
        if line.wrappers.contains("timestamp") && !line.wrappers.contains("gitlab-ci") && !wrappersSeen.contains("gitlab-ci") && !logged {
            wrappersSeen.insert("github-actions")
        }
        let location = SourceLocation(input: inputIndex, line: number, byteOffset: offset)
        var text = line.payload
        if text.utf8.count > maxTextLength { text = String(text.prefix(maxTextLength)) + "…" }
        let time: EventTime
        if let ciTime = line.ciTime {
            time = .absolute(ciTime)
        } else if let elapsed = line.elapsed, let vertex = line.vertex {
            time = EventTime(seconds: elapsed, clock: .relative, origin: "bk:\(vertex)")
        } else if let start = npmDebugLog?.startTime {
            time = .absolute(start)
        } else {
            time = .unknown
        }
        if npmLine?.level == "http", let request = NpmDebugLog.requestEvent(text, time: time, location: location) {
            events.append(request)
            return
        }
        let testMark = read.test
        if testMark == .packageDone(ok: true) || text.hasPrefix("# fail 0") || Self.isInstallSummary(text) {
            // Each package's `ok` clears what its test binary printed before it.
            if testMark == .packageDone(ok: true) {
                events.append(Event(time: time, location: location, kind: .packagePassed, text: text, step: steps.current(for: line)))
            }
            // The tool's word of success counts once; `go test ./...` says `ok` for every package.
            if !toolSuccessReported {
                toolSuccessReported = true
                events.append(Event(time: time, location: location, kind: .toolSucceeded, text: text, step: steps.current(for: line)))
            }
            return
        }
        if case .passed(let name)? = testMark {
            events.append(Event(time: time, location: location, kind: .testPassed, text: text, step: steps.current(for: line),
                                subjects: Subjects(["test": name])))
            return
        }
        if line.vertex != nil, !line.isExcerpt, vertexPayloads.count < 100_000 { vertexPayloads.insert(text.hashValue) }
        guard let structure = steps.observe(line, lineNumber: number) else {
            // BuildKit's error excerpt repeats lines already read; a paste of the excerpt alone
            // (the tty progress output people copy) has nothing else, so it is read.
            if line.isExcerpt, vertexPayloads.contains(text.hashValue) { return }
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty { return }
            let npmError = text.hasPrefix("npm ERR! ") || text.hasPrefix("npm error ")
            var event = Event(time: time, location: location, kind: .logLine,
                              severity: line.ciMarker == .error || npmLine?.level == "error" || npmError
                                  || line.loggedSeverity == .error ? .error : .info,
                              text: text, step: steps.current(for: line))
            // A test's own output, but not the lines that report the test's result.
            event.testContext = read.context
            events.append(event)
            return
        }
        if let wrapper = structure.wrapper, wrapper == "docker-legacy" || wrapper == "podman" { wrappersSeen.insert(wrapper) }
        guard let kind = structure.kind else { return }
        var subjects = Subjects()
        if let code = structure.exitCode { subjects[Subjects.Key.exitCode] = String(code) }
        if let path = structure.path { subjects[Subjects.Key.path] = path }
        if let name = structure.step?.name { subjects[Subjects.Key.step] = name }
        events.append(Event(time: time, location: location, kind: kind,
                            severity: [.stepStart, .dockerfileLocation, .buildSucceeded, .stepSucceeded].contains(kind) ? .info : .error,
                            text: text, step: structure.step, subjects: subjects))
    }
}
