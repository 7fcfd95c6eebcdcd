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
public struct BuildLogDecoder: ByteDecoder {
    /// Markers of the wrappers themselves; always scanned for, whatever the rule packs say.
    public static let structuralAnchors = [
        "] RUN ", "] COPY ", "Step ", "##[", "section_", "ERROR", "returned a non-zero code",
        "failed to solve", "executor failed running", "Dockerfile:", "------", " > [",
    ]

    public let inputIndex: Int
    public let inputPath: String
    private var scanner: LiteralLineScanner
    private var envelope = EnvelopeParser()
    private var steps = StepTracker()
    public private(set) var diagnostics: [Diagnostic] = []
    private var wrappersSeen: Set<String> = []
    /// Longest payload text kept on an event.
    public var maxTextLength = 4096
    /// Set when the input is an npm debug log.
    private let npmDebugLog: NpmDebugLog?

    /// - Parameters:
    ///   - anchors: literals whose lines are worth decoding (from the rule packs).
    ///   - maxLineLength: longer lines are cut there and reported.
    ///   - npmDebugLog: set when the input is an npm debug log.
    public init(inputIndex: Int, inputPath: String, anchors: [String], maxLineLength: Int = 1 << 20,
                npmDebugLog: NpmDebugLog? = nil) {
        self.inputIndex = inputIndex
        self.inputPath = inputPath
        self.npmDebugLog = npmDebugLog
        scanner = LiteralLineScanner(literals: anchors + Self.structuralAnchors + (npmDebugLog == nil ? [] : NpmDebugLog.anchors),
                                     maxLineLength: maxLineLength)
    }

    public var recordsSeen: Int { scanner.linesSeen }
    public var recognised: [String] {
        ["github-actions", "gitlab-ci", "buildkit", "docker-legacy"].filter { wrappersSeen.contains($0) }
    }

    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [Event]) {
        var lines: [(Int, Int, UnwrappedLine)] = []
        var overlong: [(Int, Int)] = []
        var envelope = self.envelope
        scanner.scan(bytes, onLine: { line in
            lines.append((line.number, line.offset, envelope.unwrap(line.bytes)))
        }, onOverlong: { number, offset in
            overlong.append((number, offset))
        })
        self.envelope = envelope
        for (number, offset) in overlong {
            diagnostics.append(Diagnostic(
                code: "line.too-long",
                message: "line is longer than \(scanner.maxLineLength) bytes; only its first \(scanner.maxLineLength) bytes were read",
                input: inputPath, line: number, byteOffset: offset, severity: .warning))
        }
        for (number, offset, line) in lines {
            interpret(line, number: number, offset: offset, into: &events)
        }
    }

    public mutating func finish(into events: inout [Event]) {
        var last: (Int, Int, UnwrappedLine)?
        var envelope = self.envelope
        scanner.finish { line in
            last = (line.number, line.offset, envelope.unwrap(line.bytes))
        }
        self.envelope = envelope
        if let (number, offset, line) = last { interpret(line, number: number, offset: offset, into: &events) }
    }

    private mutating func interpret(_ line: UnwrappedLine, number: Int, offset: Int, into events: inout [Event]) {
        var line = line
        let npmLine = npmDebugLog == nil ? nil : NpmDebugLogPrefix.peel(&line)
        for wrapper in line.wrappers { wrappersSeen.insert(wrapper == "timestamp" ? "github-actions" : wrapper) }
        if line.wrappers.contains("timestamp") && !line.wrappers.contains("gitlab-ci") && !wrappersSeen.contains("gitlab-ci") {
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
        guard let structure = steps.observe(line, lineNumber: number) else {
            if line.isExcerpt { return }
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty { return }
            events.append(Event(time: time, location: location, kind: .logLine,
                                severity: line.ciMarker == .error || npmLine?.level == "error" ? .error : .info,
                                text: text, step: steps.current(for: line)))
            return
        }
        if structure.wrapper == "docker-legacy" { wrappersSeen.insert("docker-legacy") }
        guard let kind = structure.kind else { return }
        var subjects = Subjects()
        if let code = structure.exitCode { subjects[Subjects.Key.exitCode] = String(code) }
        if let path = structure.path { subjects[Subjects.Key.path] = path }
        if let name = structure.step?.name { subjects[Subjects.Key.step] = name }
        events.append(Event(time: time, location: location, kind: kind,
                            severity: kind == .stepStart || kind == .dockerfileLocation ? .info : .error,
                            text: text, step: structure.step, subjects: subjects))
    }
}
