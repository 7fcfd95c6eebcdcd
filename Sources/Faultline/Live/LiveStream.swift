import FaultlineCore
import FaultlineDecode
import FaultlineInput

/// One byte stream of a live case (standard input, a followed file, a child's
/// standard output or error): the decoder `analyze` would use for it, chosen
/// from the first bytes that arrive, and what the report says about it.
///
/// Detection cannot wait for 64 KiB of a stream that may write one line a
/// minute: the decoder is picked from the first chunk (text build logs by
/// default — their decoder also hands over to a thread dump it meets), and the
/// format the report names is detected again from the first 64 KiB at the end.
struct LiveStream {
    let context: InputContext
    private let handlers: [String: InputHandler]
    private var decoder: (any ByteDecoder)?
    /// The first bytes of the stream, up to detection's sample size.
    private var head: [UInt8] = []
    private(set) var bytes = 0
    private(set) var events = 0
    /// The first chunk looked like something `watch` does not decode as a stream (a capture, binary data).
    private var unsupported: String?

    init(context: InputContext, handlers: [String: InputHandler]) {
        self.context = context
        self.handlers = handlers
    }

    /// Decodes the next chunk; events without a time of their own get `arrival` (seconds since the epoch).
    mutating func decode(_ chunk: UnsafeRawBufferPointer, arrival: Double, into events: inout [Event]) {
        guard !chunk.isEmpty else { return }
        bytes += chunk.count
        if head.count < FormatDetector.sampleSize {
            head += UnsafeRawBufferPointer(rebasing: chunk.prefix(FormatDetector.sampleSize - head.count))
        }
        if decoder == nil, unsupported == nil { choose(from: chunk) }
        guard decoder != nil else { return }
        let first = events.count
        decoder?.decode(chunk, into: &events)
        stamp(&events, from: first, arrival: arrival)
    }

    /// The end of the stream: what a partial last line held.
    mutating func finish(arrival: Double, into events: inout [Event]) {
        let first = events.count
        decoder?.finish(into: &events)
        stamp(&events, from: first, arrival: arrival)
    }

    private mutating func stamp(_ events: inout [Event], from first: Int, arrival: Double) {
        for index in first..<events.count where events[index].time.clock == .none {
            events[index].time = EventTime(seconds: arrival, clock: .arrival)
        }
        self.events += events.count - first
    }

    private mutating func choose(from chunk: UnsafeRawBufferPointer) {
        let format = FormatDetector.detect(chunk)
        switch handlers[format.name] {
        case .bytes(let make)?:
            decoder = make(context)
        case .file?:
            unsupported = format.name
        case nil:
            if format.name == "binary" {
                unsupported = format.name
            } else if case .bytes(let make)? = handlers["text"] {
                decoder = make(context)
            }
        }
    }

    /// Lines read so far.
    var lines: Int? { decoder?.recordsSeen }

    /// What the report says about this stream.
    func summary() -> (InputSummary, [Diagnostic]) {
        let format = head.withUnsafeBytes { FormatDetector.detect($0) }
        var summary = InputSummary(path: context.path, format: format.name, contains: format.contains, events: events, bytes: bytes)
        var diagnostics: [Diagnostic] = []
        if let decoder {
            summary.lines = decoder.recordsSeen
            diagnostics = decoder.diagnostics
            for tool in decoder.recognised where tool != summary.format && !summary.contains.contains(tool) {
                summary.contains.append(tool)
            }
        } else if let unsupported {
            diagnostics.append(Diagnostic(
                code: "input.unsupported",
                message: "recognised as \(unsupported), which is not read as a live text stream; passed through only"
                    + (unsupported.hasPrefix("pcap") ? " (a capture on standard input is read by `faultline analyze -`)" : ""),
                input: context.path, severity: .info))
        }
        return (summary, diagnostics)
    }
}
