public import FaultlineCapture
import FaultlineCore
import FaultlineRules
import Glibc

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

    /// The events, summaries and findings `analyze` makes of a source (with their subjects), and
    /// its weirds: read on this thread, or as `analyze` reads a file (read, decoded and paired
    /// ahead on a thread of their own, `DNSCaptureReader.run(tallyingInto:event:)`).
    public static func events(_ source: any PacketSource, ahead: Bool) -> [String] {
        let reader = DNSCaptureReader(source: source)
        var builder = DNSEventBuilder(inputIndex: 0, layers: [:], names: reader.nameReader)
        var events: [Event] = []
        let summary: DNSCaptureReader.Summary
        if ahead {
            summary = reader.run(tallyingInto: &builder) { events.append($0.event) }
        } else {
            summary = reader.run(transaction: { t, m in
                if let event = builder.event(for: t, message: m) { events.append(event) }
            }, unreachable: { builder.observe($0) })
        }
        events += builder.summaryEvents() + builder.findingEvents()
        let lines = events.map { event in
            "\(event.kind.rawValue) \(event.location.frame ?? -1) \(event.text) "
                + event.subjects.sortedKeys.map { "\($0)=\(event.subjects[$0] ?? "")" }.joined(separator: " ")
        }
        return lines + summary.weirds.diagnostics(input: "fuzz").map(\.message) + ["\(summary.frames) \(summary.transactions)"]
    }

    /// Reads the source `make` makes both ways and stops the run (a crash libFuzzer keeps) when
    /// the read ahead hands the tallies anything other than one thread does.
    public static func compareReadAhead(_ make: () -> any PacketSource) {
        let one = events(make(), ahead: false)
        let ahead = events(make(), ahead: true)
        if one != ahead {
            for (a, b) in zip(one, ahead) where a != b { print("one thread: \(a)\nread ahead: \(b)") }
            print("one thread: \(one.count) lines, read ahead: \(ahead.count)")
            abort()
        }
    }
}
