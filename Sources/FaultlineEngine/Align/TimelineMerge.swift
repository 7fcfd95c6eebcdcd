import FaultlineCore
import HeapModule

/// Merges the events of several inputs into one timeline in time order: a
/// k-way merge over the inputs (each already in its own order), with a
/// bounded reorder buffer per input for sources that are only nearly ordered.
///
/// An event without a time keeps its place in its input: it sorts at the
/// time of the last timed event before it. Ties keep input order.
enum TimelineMerge {
    /// A position in the merge: sort key, then input, then place in the input.
    struct Key: Comparable {
        var time: Double
        var input: Int
        var sequence: Int

        static func < (a: Key, b: Key) -> Bool {
            (a.time, a.input, a.sequence) < (b.time, b.input, b.sequence)
        }
    }

    static func merge(_ events: [Event], reorderWindow: Int) -> [Event] {
        var streams: [Int: [(Key, Event)]] = [:]
        var lastTime: [Int: Double] = [:]
        for (sequence, event) in events.enumerated() {
            let input = event.location.input
            var time = lastTime[input] ?? -Double.infinity
            if event.time.clock == .absolute, let seconds = event.time.seconds {
                time = seconds
                lastTime[input] = seconds
            }
            streams[input, default: []].append((Key(time: time, input: input, sequence: sequence), event))
        }
        // Each input through its reorder buffer.
        var ordered: [Int: [(Key, Event)]] = [:]
        for (input, stream) in streams {
            var buffer = Heap<Entry>()
            var out: [(Key, Event)] = []
            out.reserveCapacity(stream.count)
            for (key, event) in stream {
                buffer.insert(Entry(key: key, event: event))
                if buffer.count > max(1, reorderWindow), let first = buffer.popMin() { out.append((first.key, first.event)) }
            }
            while let first = buffer.popMin() { out.append((first.key, first.event)) }
            ordered[input] = out
        }
        // k-way merge of the inputs' heads.
        var heads = Heap<Head>()
        for (input, stream) in ordered where !stream.isEmpty { heads.insert(Head(key: stream[0].0, input: input, index: 0)) }
        var result: [Event] = []
        result.reserveCapacity(events.count)
        while let head = heads.popMin() {
            guard let stream = ordered[head.input] else { continue }
            result.append(stream[head.index].1)
            let next = head.index + 1
            if next < stream.count { heads.insert(Head(key: stream[next].0, input: head.input, index: next)) }
        }
        return result
    }

    struct Entry: Comparable {
        var key: Key
        var event: Event
        static func < (a: Entry, b: Entry) -> Bool { a.key < b.key }
        static func == (a: Entry, b: Entry) -> Bool { a.key == b.key }
    }

    struct Head: Comparable {
        var key: Key
        var input: Int
        var index: Int
        static func < (a: Head, b: Head) -> Bool { a.key < b.key }
        static func == (a: Head, b: Head) -> Bool { a.key == b.key }
    }
}
