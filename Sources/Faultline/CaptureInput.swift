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
    /// The least time between two hand-overs of a live capture's findings so far.
    static let provisionalInterval = 0.05

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

    /// What the tallying thread hands the pipeline thread: events to make, then the summaries.
    enum Handed: Sendable {
        case transactions([DNSEventBuilder.TransactionEvent])
        case summaries(FinalTallies)
    }

    /// The tallies once the capture is read, lent to the pipeline thread to make the summaries
    /// from while the tallying thread judges them: neither changes them.
    final class FinalTallies: @unchecked Sendable {
        let builder: DNSEventBuilder
        init(_ builder: DNSEventBuilder) { self.builder = builder }
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
    ///
    /// With `provisional` (a live capture), the findings so far — what `emit` gets only at the end —
    /// are handed over after an unusual transaction (an error, no answer, a slow or retried query), at
    /// most every `provisionalInterval` seconds, so a live status need not wait for the capture to end.
    static func decode(_ source: any PacketSource, context: InputContext, batchSize: Int,
                       provisional: (([Event]) -> Void)? = nil, emit: ([Event]) -> Void) -> Decoded {
        let reader = DNSCaptureReader(source: source)
        var layers: [String: Layer] = [:]
        for (id, cause) in context.knowledge.causes { layers[id] = cause.layer }
        var builder = DNSEventBuilder(inputIndex: context.index, layers: layers, names: reader.nameReader)
        var batch: [Event] = []
        batch.reserveCapacity(batchSize)
        func add(_ event: Event) {
            batch.append(event)
            if batch.count >= batchSize {
                emit(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        let summary: DNSCaptureReader.Summary
        // The findings, made once the tallies are final (a file's summaries are emitted by then).
        var judgedAhead: (events: [Event], notes: [String])?
        if let provisional {
            // A live capture on this thread alone, so each transaction is handed over as soon as it is settled.
            var lastProvisional = -Double.infinity
            var provisionalDue = false
            summary = reader.run(transaction: { transaction, message in
                let event = builder.event(for: transaction, message: message)
                if builder.isUnusual(transaction) { provisionalDue = true }
                let now = LiveClock.monotonic()
                if provisionalDue, now - lastProvisional >= provisionalInterval {
                    provisionalDue = false
                    lastProvisional = now
                    provisional(builder.findingEvents())
                }
                if let event { add(event) }
            }, unreachable: { builder.observe($0) })
        } else {
            // A file is read, decoded and paired on a thread of its own while this one tallies; the
            // events the tallies gave are made and go through the case's pipeline on a third, a batch
            // behind (in order, all of them before the summaries and findings below).
            summary = withoutActuallyEscaping(emit) { emit in
                let pipeline = HandOff<Handed>(yielding: true, consume: { handed in
                    switch handed {
                    case .transactions(let made): emit(made.map(\.event))
                    case .summaries(let tallies): emit(tallies.builder.summaryEvents())
                    }
                })
                var pending: [DNSEventBuilder.TransactionEvent] = []
                pending.reserveCapacity(batchSize)
                let read = reader.run(tallyingInto: &builder) { parts in
                    pending.append(parts)
                    if pending.count >= batchSize {
                        pipeline.send(.transactions(pending))
                        pending.removeAll(keepingCapacity: true)
                    }
                }
                if !pending.isEmpty { pipeline.send(.transactions(pending)) }
                // The tallies are final: summarised and pushed on the pipeline thread while this one
                // judges them (both only read them).
                pipeline.send(.summaries(FinalTallies(builder)))
                judgedAhead = builder.judged()
                pipeline.finish()
                return read
            }
        }
        let judged: (events: [Event], notes: [String])
        if let judgedAhead {
            judged = judgedAhead
        } else {
            batch += builder.summaryEvents()
            judged = builder.judged()
        }
        // Tens of thousands of names' tallies, each with its text and lists: freed on a thread of their own.
        Retired.free(&builder, leaving: DNSEventBuilder(inputIndex: context.index, layers: [:], names: reader.nameReader))
        batch += judged.events
        if !batch.isEmpty { emit(batch) }
        var result = FileDecodeResult(frames: summary.frames, diagnostics: summary.weirds.diagnostics(input: context.path))
        let weirds = result.diagnostics.count
        // What was judged routine, said so the reader knows why it is not a failure.
        result.diagnostics += judged.notes.map { Diagnostic(code: "capture.judged-routine", message: $0, input: context.path, severity: .info) }
        if let error = summary.readError {
            // Not read to its end: the input failed (exit 3), as `faultline dns` says.
            result.diagnostics.append(error)
            result.failed = true
        }
        if summary.dnsMessages > 0 { result.contains.append("dns") }
        return Decoded(result: result, weirdCount: weirds)
    }
}
