public import FaultlineCore
public import FaultlineInput
import FaultlineDecode
import FaultlineCapture
public import FaultlineRules

/// How an input of a detected format is read: the one place that maps a
/// format name to its decoder, so a new parser plugs in with one entry.
public enum InputHandler: Sendable {
    /// Text or bytes decoded chunk by chunk from the (decompressed) stream.
    case bytes(@Sendable (_ context: InputContext) -> any ByteDecoder)
    /// Read through a library that reads a C `FILE` itself (libpcap): the handler makes one with
    /// `ReaderFile(reader: input.reader, prefix: input.head)`, so standard input and `.gz` work too.
    case file(@Sendable (_ context: InputContext, _ input: OpenedInput, _ emit: ([Event]) -> Void) -> FileDecodeResult)
}

/// What a decoder knows about the input it reads.
public struct InputContext: Sendable {
    /// The input's index in the case (its events carry it in `SourceLocation.input`).
    public var index: Int
    /// The path as the user gave it.
    public var path: String
    public var knowledge: KnowledgeBase
    /// Whether the input was gzip-compressed.
    public var isCompressed: Bool
    /// The zone of local timestamps without one (a thread dump's header line): `UTC`, `+02:00`, `Europe/Berlin`.
    public var localTimeZone: String = "UTC"
}

/// An input opened for a `.file` handler: its reader, and the bytes already read from it for
/// format detection (they come first).
public struct OpenedInput {
    public var reader: InputReader
    public var head: [UInt8]
}

/// The outcome of a `.file` handler.
public struct FileDecodeResult: Sendable {
    public var frames: Int?
    public var diagnostics: [Diagnostic]
    /// Tools or protocols recognised inside (`dns`).
    public var contains: [String]
    public var failed: Bool

    public init(frames: Int? = nil, diagnostics: [Diagnostic] = [], contains: [String] = [], failed: Bool = false) {
        self.frames = frames
        self.diagnostics = diagnostics
        self.contains = contains
        self.failed = failed
    }
}

/// The thread-dump decoder for an input, from its first byte or from a dump found inside a longer log.
private func threadDumpDecoder(_ context: InputContext, form: ThreadDumpReader.Form, firstLine: Int = 1,
                               firstOffset: Int = 0) -> ThreadDumpDecoder {
    ThreadDumpDecoder(inputIndex: context.index, inputPath: context.path, form: form,
                      layers: context.knowledge.causes.mapValues(\.layer), anchors: context.knowledge.anchors,
                      timeZone: DumpTimeZone(context.localTimeZone) ?? .utc,
                      maxLineLength: context.knowledge.settings.maxLineBytes, firstLine: firstLine, firstOffset: firstOffset)
}

/// The handlers Faultline ships, by format name (`FormatDetector`'s names).
/// A format without a handler is reported as recognised but not analysed.
public enum InputHandlers {
    public static let standard: [String: InputHandler] = {
        var handlers: [String: InputHandler] = [:]
        // A text log hands over to the thread-dump decoder at a `Full thread dump` found past detection's head.
        let buildLog = InputHandler.bytes { context in
            BuildLogDecoder(inputIndex: context.index, inputPath: context.path, anchors: context.knowledge.anchors,
                            maxLineLength: context.knowledge.settings.maxLineBytes,
                            threadDumps: { line, offset in threadDumpDecoder(context, form: .text, firstLine: line, firstOffset: offset) })
        }
        for format in ["github-actions", "gitlab-ci", "buildkit", "docker-legacy", "go-log", "npm-log", "yarn-log", "text"] {
            handlers[format] = buildLog
        }
        // npm's debug log: the same decoder, with npm's `N level ` prefix peeled and the file name's start time.
        handlers["npm-debug-log"] = .bytes { context in
            BuildLogDecoder(inputIndex: context.index, inputPath: context.path, anchors: context.knowledge.anchors,
                            maxLineLength: context.knowledge.settings.maxLineBytes, npmDebugLog: NpmDebugLog(path: context.path))
        }
        handlers["pcap"] = .file(CaptureInput.read)
        handlers["pcapng"] = .file(CaptureInput.read)
        // JVM thread dumps: jstack / jcmd / kill -3 text, and Thread.dump_to_file JSON (local times in `--tz`, UTC by default).
        for (format, form) in [("jstack", ThreadDumpReader.Form.text), ("jstack-json", .json)] {
            handlers[format] = .bytes { context in threadDumpDecoder(context, form: form) }
        }
        return handlers
    }()
}
