/// Reassembles DNS-over-TCP streams (RFC 7766): each direction's bytes in
/// sequence order, split into messages by their two-byte length prefix, so a
/// message split across segments or several messages in one segment come out
/// whole. After a sequence gap (a lost segment), the stream resynchronises at
/// the first plausible length prefix after it, as tshark and dnscap do: at once
/// when the bytes held past the gap begin with a whole plausible message, else
/// when the gap does not fill (more than `maxHeldSegments` segments held past
/// it, the direction's FIN, the end of the capture). A segment that fills the
/// given-up gap later (it was only reordered) is still read for whole messages.
/// State is bounded: at most `maxStreams` directions, at most `maxBuffered`
/// bytes waiting per direction, idle ones dropped after `idleTimeout` of capture time.
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
        var lastFrame = 0
        /// The sequence range last given up as a gap.
        var gap: (start: UInt32, end: UInt32)?
    }

    private var streams: [Key: Stream] = [:]
    var maxStreams = 4096
    var maxBuffered = 2 * 65537
    var idleTimeout: Int64 = 120_000_000_000
    /// Segments held past a gap before it is given up.
    var maxHeldSegments = 4

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
        stream.lastFrame = frame
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
                    Self.resync(&stream, frame: frame, onlyIfWhole: stream.pending.count <= maxHeldSegments, weirds: &weirds,
                                deliver: deliver)
                }
            } else {
                let skip = -Int(delta)  // widened first: a segment 2^31 behind is Int32.min, whose negation overflows
                if skip >= payload.count, let gap = stream.gap, Int32(bitPattern: sequence &- gap.start) >= 0,
                   Int32(bitPattern: gap.end &- (sequence &+ UInt32(payload.count))) >= 0,
                   Self.plausibleStart(payload, at: 0) {
                    // A segment of a gap already given up, arriving late: its own whole messages.
                    var late = Array(payload.bindMemory(to: UInt8.self))
                    Self.drain(&late, deliver: deliver)
                }
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
                        let cut = -Int(d)
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
        if fin, !stream.pending.isEmpty { Self.resync(&stream, frame: frame, weirds: &weirds, deliver: deliver) }
        if fin && stream.pending.isEmpty { return }
        streams[key] = stream
    }

    /// Gives up the gap before the held segments: the bytes waiting before it are dropped, and the
    /// held bytes from the first plausible length prefix on become the stream (see `plausibleStart`).
    /// With `onlyIfWhole`, only when the held bytes begin with a whole plausible message.
    private static func resync(_ stream: inout Stream, frame: Int, onlyIfWhole: Bool = false, weirds: inout WeirdLog,
                               deliver: (UnsafeRawBufferPointer) -> Void) {
        guard !stream.pending.isEmpty else { return }
        stream.pending.sort { Int32(bitPattern: $0.sequence &- $1.sequence) < 0 }
        // The held bytes that follow on from the first held segment, in order.
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var next = stream.pending[0].sequence
        var used = 0
        for held in stream.pending {
            let d = Int32(bitPattern: held.sequence &- next)
            guard d <= 0 else { break }
            let cut = -Int(d)
            if cut < held.bytes.count {
                starts.append(bytes.count)
                bytes.append(contentsOf: held.bytes[cut...])
                next = held.sequence &+ UInt32(held.bytes.count)
            }
            used += 1
        }
        // A segment start is the likeliest place for a message to begin (a whole one, first); then any offset.
        let start: Int? = bytes.withUnsafeBytes { raw in
            let whole = starts.first { raw.count - $0 >= 2 && $0 + 2 + Int(raw.u16($0)) <= raw.count && plausibleStart(raw, at: $0) }
            if onlyIfWhole || whole != nil { return whole }
            return starts.first { plausibleStart(raw, at: $0) } ?? (0..<raw.count).first { plausibleStart(raw, at: $0) }
        }
        if onlyIfWhole, start == nil { return }
        weirds.note("TCP_content_gap", frame: frame)
        if let expected = stream.nextSequence { stream.gap = (expected, stream.pending[0].sequence) }
        stream.pending.removeFirst(used)
        stream.buffer.removeAll()
        stream.nextSequence = next
        guard let start else { return }
        stream.buffer = Array(bytes[start...])
        drain(&stream.buffer, deliver: deliver)
    }

    /// Whether a length prefix at `offset` can start a DNS message: a length that holds a header,
    /// one or no question, few records, a known opcode; and, when the message ends inside the
    /// bytes, another plausible prefix or the end right after it.
    private static func plausibleStart(_ bytes: UnsafeRawBufferPointer, at offset: Int, depth: Int = 0) -> Bool {
        guard offset + 2 + 12 <= bytes.count else { return offset + 2 <= bytes.count && depth > 0 }
        let length = Int(bytes.u16(offset))
        guard length >= 12 else { return false }
        let header = offset + 2
        let opcode = (bytes[header + 2] >> 3) & 0xF
        guard [0, 1, 2, 4, 5].contains(opcode), bytes.u16(header + 4) <= 1 else { return false }
        guard bytes.u16(header + 6) < 256, bytes.u16(header + 8) < 256, bytes.u16(header + 10) < 256 else { return false }
        let end = header + length
        if end >= bytes.count || depth > 0 { return true }
        return plausibleStart(bytes, at: end, depth: depth + 1)
    }

    /// At the end of the capture: every direction still waiting past a gap resynchronises, and what
    /// it completes is delivered with the direction's last frame and time.
    mutating func finish(weirds: inout WeirdLog, deliver: (Key, Int, CaptureTime, UnsafeRawBufferPointer) -> Void) {
        for key in streams.keys.sorted(by: { (streams[$0]?.lastFrame ?? 0) < (streams[$1]?.lastFrame ?? 0) }) {
            guard var stream = streams[key], !stream.pending.isEmpty else { continue }
            let frame = stream.lastFrame
            let time = stream.lastTime
            Self.resync(&stream, frame: frame, weirds: &weirds) { deliver(key, frame, time, $0) }
        }
        streams.removeAll()
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
