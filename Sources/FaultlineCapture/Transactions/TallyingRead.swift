import FaultlineCore

extension DNSCaptureReader {
    /// `analyze`'s read of a capture file: the frames are read, decoded (responses whole) and
    /// paired on a thread of their own (`PayloadReadAhead` with a `BatchPairer`), while this
    /// thread tallies each settled transaction into `builder` and hands `event` what each event
    /// the tallies gave is made of (`TransactionEvent.event` makes it), in the order a one-thread
    /// read would. A query answered in time crosses as plain
    /// values and is tallied from them (`DNSEventBuilder.tally(paired:…)`): no `DNSTransaction`
    /// is made for it unless it gets an event. Reads on this thread alone when no thread can be
    /// started.
    public func run(tallyingInto builder: inout DNSEventBuilder, event: (DNSEventBuilder.TransactionEvent) -> Void) -> Summary {
        let pairer = BatchPairer(Pairing(tracker: DNSTransactionTracker(timeoutSeconds: options.timeoutSeconds, names: nameReader),
                                         names: nameReader, deferResponseRecords: false, usePaired: true))
        guard let ahead = PayloadReadAhead(source, dropBadChecksums: options.dropBadChecksums, names: nameReader, decodeRecords: true,
                                           pairer: pairer) else {
            return run(transaction: { t, message in
                if let made = builder.tallied(t, message: message) { event(made) }
            }, paired: { key, query, name, response, message in
                builder.tally(paired: key, query, name: name, response, message: message, event: event)
            }, usePaired: true, unreachable: { builder.observe($0) })
        }
        var summary = Summary()
        summary.timestampDigits = source.timestampDigits
        summary.linkType = source.linkType
        while let batch = ahead.next() {
            batch.deliver(to: &builder, event: event)
            if batch.end {
                summary.readError = batch.error
                summary.frames = batch.frames
                summary.dnsMessages = batch.dnsMessages
                summary.transactions = batch.transactionCount
                summary.weirds = batch.weirds
                summary.weirds.merge(batch.pairingWeirds)
            }
            ahead.recycle(batch)
        }
        return summary
    }
}
