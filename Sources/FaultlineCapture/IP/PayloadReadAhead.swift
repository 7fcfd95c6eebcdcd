import FaultlineCore

/// A capture taken apart down to DNS on a thread of its own: that thread reads
/// the frames (libpcap, the kernel's copies) and runs the `PacketDecoder` over
/// them (link layer, IP, checksums, fragment and TCP reassembly), handing over
/// batches of DNS payloads (their bytes copied into the batch's arena) and ICMP
/// unreachables, in frame order, while the caller pairs the batch before. The
/// decoder's weirds, the frame count and a read error come with the last batch,
/// exactly as a decoder on the caller's thread would have left them. At most
/// `depth` batches wait, so memory stays bounded.
final class PayloadReadAhead {
    /// Payloads per batch, and the payload bytes a batch holds before it is handed over.
    static let payloadsPerBatch = 1024
    static let bytesPerBatch = 1 << 18
    /// Batches waiting between the two threads.
    static let depth = 8

    /// One DNS payload of a batch (its bytes in the batch's arena), or an ICMP unreachable.
    struct Payload: Sendable {
        var frame: Int
        var time: CaptureTime
        var source: Endpoint
        var destination: Endpoint
        var transport: TransportProtocol
        var start: Int
        var count: Int
        /// The index in `icmp` of the unreachable this stands for; -1 for a DNS payload.
        var icmp: Int
    }

    /// Payloads and unreachables of consecutive frames; the last batch also tells how the read ended.
    struct Batch: Sendable {
        var payloads: [Payload] = []
        var icmp: [ICMPUnreachable] = []
        let arena = ByteArena(capacity: PayloadReadAhead.bytesPerBatch)
        /// The last batch: the fields below are set.
        var end = false
        var error: Diagnostic?
        var frames = 0
        var weirds = WeirdLog()

        init() { payloads.reserveCapacity(PayloadReadAhead.payloadsPerBatch) }

        mutating func reset() {
            payloads.removeAll(keepingCapacity: true)
            icmp.removeAll(keepingCapacity: true)
            arena.removeAll()
            end = false
        }

        /// The payload's message, lent from the arena.
        @inline(__always)
        func dns(_ payload: Payload, in bytes: UnsafeRawBufferPointer) -> DNSPayload {
            DNSPayload(frame: payload.frame, time: payload.time, source: payload.source, destination: payload.destination,
                       transport: payload.transport, bytes: bytes.slice(payload.start, payload.start + payload.count))
        }
    }

    private let filled = BatchQueue<Batch>(depth: depth)
    private let emptied = BatchQueue<Batch>(depth: depth + 2)
    private var thread: WorkerThread?
    private var ended = false

    /// Starts the reading thread; nil when no thread can be started (the caller then reads on its own).
    init?(_ source: any PacketSource, dropBadChecksums: Bool) {
        let filled = filled
        let emptied = emptied
        let box = SourceBox(source)
        thread = WorkerThread.start {
            let source = box.source
            let linkType = source.linkType
            var decoder = PacketDecoder()
            decoder.dropBadChecksums = dropBadChecksums
            var batch = Batch()
            while true {
                let packet: CapturedPacket
                do throws(Diagnostic) {
                    guard let next = try source.nextPacket() else { break }
                    packet = next
                } catch {
                    batch.error = error
                    break
                }
                decoder.decode(packet, linkType: linkType, dns: { payload in
                    let start = batch.arena.count
                    batch.arena.append(payload.bytes)
                    batch.payloads.append(Payload(frame: payload.frame, time: payload.time, source: payload.source,
                                                  destination: payload.destination, transport: payload.transport,
                                                  start: start, count: payload.bytes.count, icmp: -1))
                }, icmp: { unreachable in
                    batch.payloads.append(Payload(frame: unreachable.frame, time: unreachable.time, source: unreachable.source,
                                                  destination: unreachable.destination, transport: .udp,
                                                  start: 0, count: 0, icmp: batch.icmp.count))
                    batch.icmp.append(unreachable)
                })
                if batch.payloads.count >= Self.payloadsPerBatch || batch.arena.count >= Self.bytesPerBatch {
                    var full = emptied.poll() ?? Batch()
                    full.reset()
                    swap(&full, &batch)
                    filled.put(consume full)
                }
            }
            batch.end = true
            batch.frames = source.framesRead
            batch.weirds = decoder.weirds
            var last = Batch()
            swap(&last, &batch)
            filled.put(consume last)
        }
        if thread == nil { return nil }
    }

    deinit {
        // The caller may stop early: let the reading thread finish and end.
        filled.close()
        emptied.close()
        thread?.join()
    }

    /// The next batch in frame order; nil after the last one (which has `end` set).
    func next() -> Batch? {
        guard !ended, let batch = filled.take() else { return nil }
        if batch.end { ended = true }
        return batch
    }

    /// Gives a batch's storage back for reuse.
    func recycle(_ batch: consuming Batch) {
        emptied.offer(batch)
    }
}

/// The wrapped source, handed to the reading thread (which alone uses it from then on).
private final class SourceBox: @unchecked Sendable {
    let source: any PacketSource
    init(_ source: any PacketSource) { self.source = source }
}
