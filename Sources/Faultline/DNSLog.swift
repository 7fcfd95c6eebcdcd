public import FaultlineCore
import FaultlineCapture

/// `faultline dns`: every DNS transaction of one or more captures as NDJSON
/// with Zeek `dns.log` field names, or as one human line each. The library
/// side of the command, so front ends need not know the capture types.
public enum DNSLog {
    /// How one capture went.
    public struct Outcome: Sendable {
        public var path: String
        public var frames: Int
        public var transactions: Int
        /// Weirds (bad checksums, cut or malformed packets) and read errors, with frames.
        public var diagnostics: [Diagnostic]
        /// The capture could not be opened, or not read to its end.
        public var failed: Bool
    }

    public static let formats = ["ndjson", "text"]

    /// Reads each capture (`-` is standard input; gzip-compressed ones are gunzipped) and hands the output to `write` in large pieces.
    ///
    /// - Parameters:
    ///   - timeoutSeconds: how long a query is waited for before it is reported unanswered.
    ///   - maxCompressionDepth: compression pointers followed in one name before it is given up.
    ///   - dropBadChecksums: skip packets whose checksum is wrong, as Zeek does without `-C` (they are decoded by default).
    public static func write(paths: [String], format: String, timeoutSeconds: Double = 5, maxCompressionDepth: Int = 20,
                             dropBadChecksums: Bool = false, write: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) -> [Outcome] {
        let logFormat = DNSLogWriter.Format(rawValue: format) ?? .ndjson
        var outcomes: [Outcome] = []
        for path in paths {
            let opened: CaptureOpener.Opened
            do {
                opened = try CaptureOpener.open(path)
            } catch {
                outcomes.append(Outcome(path: path, frames: 0, transactions: 0, diagnostics: [error], failed: true))
                continue
            }
            let source = opened.source
            let reader = DNSCaptureReader(source: source, options: .init(timeoutSeconds: timeoutSeconds,
                                                                         maxCompressionDepth: maxCompressionDepth,
                                                                         dropBadChecksums: dropBadChecksums))
            let writer = DNSLogWriter(format: logFormat, timestampDigits: source.timestampDigits, names: reader.nameReader,
                                      input: paths.count > 1 ? path : nil, flush: write)
            // The capture is read on this thread and printed on another.
            let summary = DNSLogPipeline.run(reader, writer: writer)
            var diagnostics = summary.weirds.diagnostics(input: path)
            if let error = opened.stream?.error { diagnostics.append(error) }
            if let error = summary.readError { diagnostics.append(error) }
            outcomes.append(Outcome(path: path, frames: summary.frames, transactions: summary.transactions,
                                    diagnostics: diagnostics, failed: summary.readError != nil))
        }
        return outcomes
    }
}
