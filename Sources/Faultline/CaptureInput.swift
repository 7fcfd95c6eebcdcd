import FaultlineCore
import FaultlineCapture
import FaultlineInput

/// Reads a pcap or pcapng capture through libpcap for `faultline analyze`:
/// `dns.transaction` events as the capture is read (the first few of each
/// name and every unusual one, see `DNSEventBuilder`), then per-name
/// `dns.summary` events and the `dns.finding` events (causes with frames as
/// evidence) at its end,
/// and the capture's weirds (bad checksums, cut or malformed packets) as diagnostics.
enum CaptureInput {
    static let batchSize = 1024

    static func read(_ context: InputContext, _ input: OpenedInput, _ emit: ([Event]) -> Void) -> FileDecodeResult {
        // libpcap reads the bytes as the analyzer sees them: detection's head first, gunzipped, from stdin or a file.
        let opened: CaptureOpener.Opened
        do {
            opened = try CaptureOpener.open(input, path: context.path)
        } catch {
            return FileDecodeResult(diagnostics: [error], failed: true)
        }
        var result = decode(opened.source, context: context, batchSize: batchSize, emit: emit)
        // An error under the capture (corrupt gzip data) names its byte offset; libpcap's own names the frame.
        if let error = opened.stream?.error {
            result.diagnostics.insert(error, at: min(result.diagnostics.count, result.weirdCount))
            result.result.failed = true
        }
        return result.result
    }

    /// What `decode` found, with where the capture's weirds end among its diagnostics.
    struct Decoded {
        var result: FileDecodeResult
        var weirdCount: Int
        var diagnostics: [Diagnostic] {
            get { result.diagnostics }
            set { result.diagnostics = newValue }
        }
    }

    /// Reads `source` to its end (a file's end, a live capture's stop) into events, handed to `emit`
    /// in batches of `batchSize` (1 for a live capture: each transaction as soon as it is settled).
    static func decode(_ source: any PacketSource, context: InputContext, batchSize: Int, emit: ([Event]) -> Void) -> Decoded {
        let reader = DNSCaptureReader(source: source)
        var layers: [String: Layer] = [:]
        for (id, cause) in context.knowledge.causes { layers[id] = cause.layer }
        var builder = DNSEventBuilder(inputIndex: context.index, layers: layers, names: reader.nameReader)
        var batch: [Event] = []
        batch.reserveCapacity(batchSize)
        let summary = reader.run(transaction: { transaction, message in
            guard let event = builder.event(for: transaction, message: message) else { return }
            batch.append(event)
            if batch.count >= batchSize {
                emit(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }, unreachable: { icmp in
            builder.observe(icmp)
        })
        batch += builder.summaryEvents()
        batch += builder.findingEvents()
        if !batch.isEmpty { emit(batch) }
        var result = FileDecodeResult(frames: summary.frames, diagnostics: summary.weirds.diagnostics(input: context.path))
        let weirds = result.diagnostics.count
        if let error = summary.readError {
            // Not read to its end: the input failed (exit 3), as `faultline dns` says.
            result.diagnostics.append(error)
            result.failed = true
        }
        if summary.dnsMessages > 0 { result.contains.append("dns") }
        return Decoded(result: result, weirdCount: weirds)
    }
}
