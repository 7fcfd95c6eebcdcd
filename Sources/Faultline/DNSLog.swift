public import FaultlineCore
import Foundation
import FaultlineCapture
import FaultlineInput
#if canImport(Glibc)
import Glibc
#endif

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

    public static let formats = ["ndjson", "text", "zeek"]

    /// Reads each capture (`-` is standard input; gzip-compressed ones are gunzipped) and hands the output to `write` in large pieces.
    ///
    /// - Parameters:
    ///   - timeoutSeconds: how long a query is waited for before it is reported unanswered.
    ///   - maxCompressionDepth: compression pointers followed in one name before it is given up.
    ///   - dropBadChecksums: skip packets whose checksum is wrong, as Zeek does without `-C` (they are decoded by default).
    public static func write(paths: [String], format: String, timeoutSeconds: Double = 5, maxCompressionDepth: Int = 20,
                             dropBadChecksums: Bool = false, write: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) -> [Outcome] {
        if format == "zeek" {
            // The NDJSON records, each turned into a row of Zeek's TSV under one header.
            let zeek = ZeekDNSLog(write: write)
            zeek.emit(ZeekDNSLog.header(open: Date().timeIntervalSince1970))
            let outcomes = Self.write(paths: paths, format: "ndjson", timeoutSeconds: timeoutSeconds,
                                      maxCompressionDepth: maxCompressionDepth, dropBadChecksums: dropBadChecksums,
                                      write: { zeek.consume($0) })
            zeek.emit(ZeekDNSLog.footer(close: Date().timeIntervalSince1970))
            return outcomes
        }
        let logFormat = DNSLogWriter.Format(rawValue: format) ?? .ndjson
        var outcomes: [Outcome] = []
        for path in paths {
            if path == "-", StandardInput.isStream {
                outcomes.append(writeLive(path: path, format: logFormat, options: .init(timeoutSeconds: timeoutSeconds,
                    maxCompressionDepth: maxCompressionDepth, dropBadChecksums: dropBadChecksums),
                    input: paths.count > 1 ? path : nil, write: write))
                continue
            }
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

    /// A capture still being written to a pipe (`tcpdump -U -w - | faultline dns -`): read on one
    /// thread, frame by frame, records written out whenever the input goes quiet, instead of
    /// through the batching pipeline that makes a file fast and would hold records back.
    static func writeLive(path: String, format: DNSLogWriter.Format, options: DNSCaptureReader.Options, input: String?,
                          write: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) -> Outcome {
        let opened: CaptureOpener.Opened
        let stream: InputReader
        do {
            (opened, stream) = try CaptureOpener.openStream(path)
        } catch {
            return Outcome(path: path, frames: 0, transactions: 0, diagnostics: [error], failed: true)
        }
        let reader = DNSCaptureReader(source: opened.source, options: options)
        let writer = DNSLogWriter(format: format, timestampDigits: opened.source.timestampDigits, names: reader.nameReader,
                                  input: input, flush: write)
        // Records are written out whenever the input goes quiet (and when the writer's buffer is full):
        // as soon as their transactions settle on a live capture, in large writes on a busy pipe.
        stream.beforeWaiting = { writer.finish() }
        let summary = reader.run(transaction: { transaction, message in
            writer.write(transaction, message)
        })
        stream.beforeWaiting = nil
        writer.finish()
        var diagnostics = summary.weirds.diagnostics(input: path)
        if let error = opened.stream?.error { diagnostics.append(error) }
        if let error = summary.readError { diagnostics.append(error) }
        return Outcome(path: path, frames: summary.frames, transactions: summary.transactions,
                       diagnostics: diagnostics, failed: summary.readError != nil)
    }
}

/// What standard input is connected to.
enum StandardInput {
    /// A pipe, socket or terminal: bytes that arrive while they are written, not a file read at full speed.
    static var isStream: Bool {
        var info = stat()
        guard fstat(0, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFSOCK || type == S_IFCHR
    }
}
