import CByteScan
import FaultlineCore

/// Pairs each read-ahead batch on the reading thread before the batch is handed
/// over, and records in it what the pairing settled (`Settled`), in order: the
/// queries answered in time as plain values, the other transactions whole, and
/// the ICMP unreachables among them. For `analyze`, whose caller's thread has
/// the tallies to do (`DNSCaptureReader.run(tallyingInto:event:)`): reading,
/// decoding and pairing on one thread, tallying on the other.
final class BatchPairer: @unchecked Sendable {
    /// What the pairing of one batch settled, in the order it settled it.
    struct Settled: Sendable {
        enum Kind: UInt8, Sendable {
            /// A query answered in time: `paired[index]`.
            case paired
            /// Any other transaction: `transactions[index]`.
            case transaction
            /// An ICMP unreachable: the batch's `icmp[index]`.
            case icmp
        }

        struct Item: Sendable {
            var kind: Kind
            var index: Int32
            /// The batch payload whose message settled it (a response); -1 when none.
            var payload: Int32
        }

        /// A query answered in time, as `DNSTransactionTracker.EmitPaired` lent it, its name copied into `names`.
        struct Paired: Sendable {
            var key: DNSTransactionTracker.Key
            var query: DNSTransactionTracker.PendingQuery
            var response: DNSTransactionTracker.Answered
            var nameStart: Int32
            /// -1 when the query had no name.
            var nameCount: Int32
        }

        var items: [Item] = []
        var paired: [Paired] = []
        var transactions: [DNSTransaction] = []
        var names: [UInt8] = []

        mutating func removeAll() {
            items.removeAll(keepingCapacity: true)
            paired.removeAll(keepingCapacity: true)
            transactions.removeAll(keepingCapacity: true)
            names.removeAll(keepingCapacity: true)
        }
    }

    private var pairing: Pairing

    init(_ pairing: Pairing) { self.pairing = pairing }

    /// Pairs the batch's payloads, recording what that settled in `batch.settled`.
    func pair(_ batch: inout PayloadReadAhead.Batch) {
        // Filled apart and put back: the batch's payloads are read while these grow.
        var settled = BatchPairer.Settled()
        swap(&settled, &batch.settled)
        var current: Int32 = -1
        pairing.pair(batch, starting: { current = Int32(truncatingIfNeeded: $0) }, transaction: { t, message in
            settled.items.append(Settled.Item(kind: .transaction, index: Int32(truncatingIfNeeded: settled.transactions.count),
                                              payload: message == nil ? -1 : current))
            settled.transactions.append(t)
        }, paired: { key, query, name, response, _ in
            let start = Int32(truncatingIfNeeded: settled.names.count)
            if let name { settled.names.append(contentsOf: name) }
            settled.items.append(Settled.Item(kind: .paired, index: Int32(truncatingIfNeeded: settled.paired.count), payload: current))
            settled.paired.append(Settled.Paired(key: key, query: query, response: response, nameStart: start,
                                                 nameCount: name.map { Int32(truncatingIfNeeded: $0.count) } ?? -1))
        }, unreachable: { icmp in
            // The unreachable the payload being paired stands for (after the transactions it settled).
            let index = batch.payloads[Int(current)].icmp
            settled.items.append(Settled.Item(kind: .icmp, index: index, payload: -1))
        })
        swap(&settled, &batch.settled)
    }

    /// The end of the capture (the last batch, paired): every query still waiting is unanswered.
    func finish(_ batch: inout PayloadReadAhead.Batch) {
        var settled = BatchPairer.Settled()
        swap(&settled, &batch.settled)
        pairing.finish { t, _ in
            settled.items.append(Settled.Item(kind: .transaction, index: Int32(truncatingIfNeeded: settled.transactions.count),
                                              payload: -1))
            settled.transactions.append(t)
        }
        swap(&settled, &batch.settled)
        // Decoded and paired on this thread: the decode's DNS weirds come after the pairing's, as a one-thread read has them.
        pairing.dnsWeirds.merge(batch.dnsWeirds)
        batch.pairingWeirds = pairing.dnsWeirds
        batch.transactionCount = pairing.transactions
    }
}

extension PayloadReadAhead.Batch {
    /// Hands what the reading thread's pairing settled to `builder` in order, each response's
    /// message and each query's name lent from the batch for the call; `event` gets what each
    /// event the tallies gave is made of.
    func deliver(to builder: inout DNSEventBuilder, event: (DNSEventBuilder.TransactionEvent) -> Void) {
        let bytes = arena.bytes
        // Read in place through pointers: a settled query or a payload copied out is a large copy each.
        settled.names.withUnsafeBytes { names in
            settled.paired.withUnsafeBufferPointer { paired in
                payloads.withUnsafeBufferPointer { payloads in settled.items.withUnsafeBufferPointer { items in
                    // The reading thread wrote the batch on the other core: what each item reads is
                    // fetched ahead (its payload and settled query 16 items ahead, the message's
                    // first bytes 8 ahead, once the payload says where they are).
                    let payloadBase = payloads.baseAddress.unsafelyUnwrapped
                    for position in items.indices {
                        if position + 16 < items.count {
                            let ahead = items[position + 16]
                            if ahead.payload >= 0 { fl_prefetch(payloadBase + Int(ahead.payload)) }
                            if ahead.kind == .paired { fl_prefetch(paired.baseAddress.unsafelyUnwrapped + Int(ahead.index)) }
                        }
                        if position + 8 < items.count, items[position + 8].payload >= 0, let base = bytes.baseAddress {
                            fl_prefetch(base + Int(payloadBase[Int(items[position + 8].payload)].start))
                        }
                        let item = items[position]
                        switch item.kind {
                        case .paired:
                            let one = paired.baseAddress.unsafelyUnwrapped + Int(item.index)
                            let name = one.pointee.nameCount < 0 ? nil
                                : names.slice(Int(one.pointee.nameStart), Int(one.pointee.nameStart) + Int(one.pointee.nameCount))
                            let message = message(payloads.baseAddress.unsafelyUnwrapped + Int(item.payload), in: bytes)
                            builder.tally(paired: one.pointee.key, one.pointee.query, name: name, one.pointee.response,
                                          message: message, event: event)
                        case .transaction:
                            let message = item.payload < 0 ? nil
                                : message(payloads.baseAddress.unsafelyUnwrapped + Int(item.payload), in: bytes)
                            if let made = builder.tallied(settled.transactions[Int(item.index)], message: message) { event(made) }
                        case .icmp:
                            builder.observe(icmp[Int(item.index)])
                        }
                    }
                } }
            }
        }
    }
}
