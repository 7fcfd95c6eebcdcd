/// Renders a batch of transactions into the batch's own output with one thread's writer:
/// each response's records are decoded where the batch finds its bytes (they were decoded
/// only to their question when paired) and checked, and what that notes goes to the batch's
/// weirds. One renderer per thread (its writer's buffers and its answer list are its own).
final class BatchRenderer: @unchecked Sendable {
    let writer: DNSLogWriter
    let names: DNSNameReader
    /// Each response's answer records, as its decode found them (for the writer).
    private let kept: UnsafeMutablePointer<DNSRecordHeader>
    private static let keptCapacity = 64

    init(writer: DNSLogWriter, names: DNSNameReader) {
        self.writer = writer
        self.names = names
        kept = .allocate(capacity: Self.keptCapacity)
    }

    deinit { kept.deallocate() }

    func render(_ batch: inout TransactionBatch) {
        var answers = DNSRecordHeaderList(base: kept, capacity: Self.keptCapacity)
        var weirds = WeirdLog()
        let responses = batch.responses
        let names = names
        let writer = writer
        // In place: an item is never copied out of its batch (the arrays are swapped out, not copied).
        var records: [DNSLogRecord] = []
        var inPlace: [DNSTransaction] = []
        swap(&records, &batch.records)
        swap(&inPlace, &batch.transactions)
        let arena = batch.arena.bytes
        let sourceBytes = batch.sources.map(\.bytes)
        sourceBytes.withUnsafeBufferPointer { sources in
            batch.output.withSink { out in
                writer.rendering(into: &out) {
                    records.withUnsafeMutableBufferPointer { records in
                        guard let first = records.baseAddress else { return }
                        for index in records.indices {
                            let record = first + index
                            let response = responses[index]
                            guard response.count > 0 else {
                                writer.write(record, arena: arena, nil)
                                continue
                            }
                            let bytes = response.bytes(in: arena, sources: sources)
                            let frame = record.pointee.response?.frame ?? 0
                            guard DNSMessage.hasHeader(bytes, frame: frame, weirds: &weirds) else {
                                writer.write(record, arena: arena, nil)
                                continue
                            }
                            var message: DNSMessage
                            answers.removeAll()
                            if response.question.complete {
                                message = DNSMessage(header: bytes, response.question)
                                message.decodeRecords(names: names, frame: frame, weirds: &weirds, answers: &answers)
                            } else {
                                message = DNSMessage(header: bytes)
                                message.decode(names: names, frame: frame, weirds: &weirds, answers: &answers)
                            }
                            record.pointee.response?.rcode = message.rcode
                            withUnsafePointer(to: &message) { writer.write(record, arena: arena, $0, answers: answers.records) }
                        }
                    }
                    inPlace.withUnsafeMutableBufferPointer { transactions in
                        for index in transactions.indices {
                            let response = responses[index]
                            guard response.count > 0 else {
                                writer.write(transactions[index], nil)
                                continue
                            }
                            let message = DNSMessage(response.bytes(in: arena, sources: sources), names: names,
                                                     frame: transactions[index].response?.frame ?? 0, weirds: &weirds)
                            if let message {
                                transactions[index].response?.rcode = message.rcode
                                transactions[index].response?.answerCount = message.answersParsed
                            }
                            writer.write(transactions[index], message)
                        }
                    }
                }
            }
        }
        swap(&records, &batch.records)
        swap(&inPlace, &batch.transactions)
        batch.weirds = weirds
    }
}
