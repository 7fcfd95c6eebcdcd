import Foundation
import FaultlineCapture

/// Runs the DNS capture reader the way `faultline dns --format ndjson` does
/// and hands back the records as JSON objects, with the read's summary.
enum DNSTestRun {
    struct Output {
        var records: [[String: Any]]
        var summary: DNSCaptureReader.Summary
        var ndjson: String
    }

    static func run(_ path: String, options: DNSCaptureReader.Options = .init()) throws -> Output {
        let source = try PcapFile(path: path)
        let reader = DNSCaptureReader(source: source, options: options)
        var bytes: [UInt8] = []
        let writer = DNSLogWriter(format: .ndjson, timestampDigits: source.timestampDigits, names: reader.nameReader) { chunk in
            bytes.append(contentsOf: chunk)
        }
        let summary = reader.run(transaction: { writer.write($0, $1) })
        writer.finish()
        let text = String(decoding: bytes, as: UTF8.self)
        let records = try text.split(separator: "\n").map { line -> [String: Any] in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let dictionary = object as? [String: Any] else { throw CocoaError(.coderReadCorrupt) }
            return dictionary
        }
        return Output(records: records, summary: summary, ndjson: text)
    }

    /// The analysis events of one capture (transactions, then findings), as `faultline analyze` makes them.
    static func events(_ path: String) throws -> (transactions: [Event], findings: [Event], summary: DNSCaptureReader.Summary) {
        let source = try PcapFile(path: path)
        let reader = DNSCaptureReader(source: source)
        var layers: [String: Layer] = [:]
        for (id, cause) in TestSupport.knowledge.causes { layers[id] = cause.layer }
        var builder = DNSEventBuilder(inputIndex: 0, layers: layers, names: reader.nameReader)
        var transactions: [Event] = []
        let summary = reader.run(transaction: { t, m in
            if let event = builder.event(for: t, message: m) { transactions.append(event) }
        }, unreachable: { builder.observe($0) })
        return (transactions, builder.findingEvents(), summary)
    }

    static var conformance: URL {
        TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Conformance/zeek-dns")
    }
}

import Faultline
