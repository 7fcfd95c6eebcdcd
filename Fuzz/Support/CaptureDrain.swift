public import FaultlineCapture
import FaultlineCore
import FaultlineRules

/// Reads a packet source to its end the way `analyze` and `faultline dns` do: transactions become
/// events and findings (`DNSEventBuilder`), and every record is rendered as NDJSON and text lines
/// (`DNSLogWriter`), so a harness reaches the record decoders as well as the framing.
public enum CaptureDrain {
    public static func run(_ source: any PacketSource) {
        let reader = DNSCaptureReader(source: source)
        var layers: [String: Layer] = [:]
        for (id, cause) in FuzzKnowledge.base.causes { layers[id] = cause.layer }
        var builder = DNSEventBuilder(inputIndex: 0, layers: layers, names: reader.nameReader)
        var written = 0
        let writers = [DNSLogWriter.Format.ndjson, .text].map { format in
            DNSLogWriter(format: format, timestampDigits: source.timestampDigits, names: reader.nameReader) { written &+= $0.count }
        }
        let summary = reader.run(transaction: { transaction, message in
            _ = builder.event(for: transaction, message: message)
            for writer in writers { writer.write(transaction, message) }
        }, unreachable: { builder.observe($0) })
        _ = summary.weirds.diagnostics(input: source.name)
        _ = builder.summaryEvents()
        _ = builder.judged()
        for writer in writers { writer.finish() }
    }
}
