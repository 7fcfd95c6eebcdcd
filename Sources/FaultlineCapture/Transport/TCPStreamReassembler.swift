/// Reassembles DNS-over-TCP streams (RFC 7766): each direction's bytes in
/// sequence order, split into messages by their two-byte length prefix, so a
/// message split across segments or several messages in one segment come out
/// whole. State is bounded: at most `maxStreams` directions, at most
/// `maxBuffered` bytes waiting per direction, idle ones dropped after
/// `idleTimeout` of capture time.
struct TCPStreamReassembler {
    struct Key: Hashable {
        var source: Endpoint
        var destination: Endpoint
    }

    private struct Stream {
        var nextSequence: UInt32?
        var buffer: [UInt8] = []
        var pending: [(sequence: UInt32, bytes: [UInt8])] = []
        var lastTime: CaptureTime
    }

    private var streams: [Key: Stream] = [:]
    var maxStreams = 4096
    var maxBuffered = 2 * 65537
    var idleTimeout: Int64 = 120_000_000_000

    /// Feeds one segment; `deliver` gets each complete DNS message it finishes.
    mutating func segment(_ key: Key, sequence: UInt32, syn: Bool, fin: Bool, rst: Bool, payload: UnsafeRawBufferPointer,
                          frame: Int, time: CaptureTime, weirds: inout WeirdLog, deliver: (UnsafeRawBufferPointer) -> Void) {
        if rst {
            streams[key] = nil
            return
        }
        if streams[key] == nil {
            if payload.isEmpty && !syn { return }
            if streams.count >= maxStreams { expire(before: time, force: true) }
            streams[key] = Stream(lastTime: time)
        }
        guard var stream = streams.removeValue(forKey: key) else { return }
        stream.lastTime = time
        var sequence = sequence
        if syn {
            sequence &+= 1
            stream.nextSequence = sequence
        }
        if !payload.isEmpty {
            let expected = stream.nextSequence ?? sequence
            let delta = Int32(bitPattern: sequence &- expected)
            if delta > 0 {
                // Ahead of what we have: keep it until the gap fills.
                let held = stream.pending.reduce(0) { $0 + $1.bytes.count }
                if held + payload.count > maxBuffered {
                    weirds.note("TCP_content_gap", frame: frame)
                    stream.buffer.removeAll()
                    stream.pending.removeAll()
                    stream.nextSequence = sequence &+ UInt32(payload.count)
                } else {
                    stream.pending.append((sequence, Array(payload.bindMemory(to: UInt8.self))))
                }
            } else {
                let skip = Int(-delta)
                if skip < payload.count {
                    stream.buffer.append(contentsOf: payload[skip...])
                    stream.nextSequence = expected &+ UInt32(payload.count - skip)
                } else {
                    stream.nextSequence = expected
                }
                // Segments that arrived early and now fit.
                var progressed = true
                while progressed, !stream.pending.isEmpty, let next = stream.nextSequence {
                    progressed = false
                    for (i, held) in stream.pending.enumerated() {
                        let d = Int32(bitPattern: held.sequence &- next)
                        guard d <= 0 else { continue }
                        let cut = Int(-d)
                        if cut < held.bytes.count {
                            stream.buffer.append(contentsOf: held.bytes[cut...])
                            stream.nextSequence = next &+ UInt32(held.bytes.count - cut)
                        }
                        stream.pending.remove(at: i)
                        progressed = true
                        break
                    }
                }
                Self.drain(&stream.buffer, deliver: deliver)
                if stream.buffer.count > maxBuffered {
                    weirds.note("TCP_content_gap", frame: frame)
                    stream.buffer.removeAll()
                }
            }
        }
        if fin && stream.pending.isEmpty { return }
        streams[key] = stream
    }

    /// Hands out every complete length-prefixed message at the front of `buffer`.
    private static func drain(_ buffer: inout [UInt8], deliver: (UnsafeRawBufferPointer) -> Void) {
        var consumed = 0
        buffer.withUnsafeBytes { bytes in
            while consumed + 2 <= bytes.count {
                let length = Int(bytes.u16(consumed))
                guard consumed + 2 + length <= bytes.count else { break }
                deliver(bytes.slice(consumed + 2, consumed + 2 + length))
                consumed += 2 + length
            }
        }
        if consumed > 0 { buffer.removeFirst(consumed) }
    }

    /// Drops idle directions (the oldest half when `force`).
    mutating func expire(before now: CaptureTime, force: Bool = false) {
        guard !streams.isEmpty else { return }
        var stale = streams.filter { now - $0.value.lastTime > idleTimeout }.map(\.key)
        if force, stale.isEmpty {
            stale = streams.sorted { $0.value.lastTime < $1.value.lastTime }.prefix(max(1, streams.count / 2)).map(\.key)
        }
        for key in stale { streams[key] = nil }
    }
}
