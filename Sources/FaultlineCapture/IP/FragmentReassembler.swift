/// Puts IPv4 and IPv6 fragments back together, with bounded state: at most
/// `maxDatagrams` datagrams in progress, each at most 65,535 bytes, given up
/// after `timeout` of capture time (noted as a weird).
struct FragmentReassembler {
    struct Key: Hashable {
        var source: IPAddress
        var destination: IPAddress
        var identification: UInt32
        var proto: UInt8
    }

    private struct Datagram {
        var pieces: [(offset: Int, bytes: [UInt8])] = []
        var totalLength: Int?
        var firstFrame: Int
        var lastTime: CaptureTime
        var bytesHeld = 0
        /// The upper-layer protocol, known from the first fragment (IPv6 carries it there).
        var proto: UInt8?
    }

    private var datagrams: [Key: Datagram] = [:]
    var maxDatagrams = 256
    var timeout: Int64 = 30_000_000_000

    var inProgress: Int { datagrams.count }

    /// Adds one fragment; returns the whole payload and its protocol when this completes it.
    mutating func add(_ key: Key, offset: Int, more: Bool, payload: UnsafeRawBufferPointer, proto: UInt8?,
                      frame: Int, time: CaptureTime, weirds: inout WeirdLog) -> (bytes: [UInt8], proto: UInt8)? {
        guard offset + payload.count <= 65535 else {
            weirds.note("excessively_large_fragment", frame: frame)
            return nil
        }
        if datagrams[key] == nil {
            if datagrams.count >= maxDatagrams { expire(before: time, force: true, weirds: &weirds) }
            datagrams[key] = Datagram(firstFrame: frame, lastTime: time)
        }
        guard var datagram = datagrams.removeValue(forKey: key) else { return nil }
        datagram.pieces.append((offset, Array(payload.bindMemory(to: UInt8.self))))
        datagram.bytesHeld += payload.count
        datagram.lastTime = time
        if offset == 0, let proto { datagram.proto = proto }
        if !more { datagram.totalLength = offset + payload.count }
        if let total = datagram.totalLength, let proto = datagram.proto ?? (key.proto != 0 ? key.proto : nil),
           Self.covers(datagram.pieces, total: total) {
            var whole = [UInt8](repeating: 0, count: total)
            for piece in datagram.pieces {
                let end = min(total, piece.offset + piece.bytes.count)
                guard piece.offset < end else { continue }
                whole.replaceSubrange(piece.offset..<end, with: piece.bytes[0..<(end - piece.offset)])
            }
            return (whole, proto)
        }
        if datagram.bytesHeld > 2 * 65535 || datagram.pieces.count > 128 {
            weirds.note("excessive_fragments", frame: frame)
            return nil
        }
        datagrams[key] = datagram
        return nil
    }

    /// Drops datagrams idle for longer than the timeout (all but the newest half when `force`).
    mutating func expire(before now: CaptureTime, force: Bool = false, weirds: inout WeirdLog) {
        guard !datagrams.isEmpty else { return }
        var stale = datagrams.filter { now - $0.value.lastTime > timeout }.map(\.key)
        if force, stale.isEmpty {
            stale = datagrams.sorted { $0.value.lastTime < $1.value.lastTime }.prefix(max(1, datagrams.count / 2)).map(\.key)
        }
        for key in stale {
            if let datagram = datagrams.removeValue(forKey: key) {
                weirds.note("fragment_reassembly_timeout", frame: datagram.firstFrame)
            }
        }
    }

    private static func covers(_ pieces: [(offset: Int, bytes: [UInt8])], total: Int) -> Bool {
        var reached = 0
        for piece in pieces.sorted(by: { $0.offset < $1.offset }) {
            if piece.offset > reached { return false }
            reached = max(reached, piece.offset + piece.bytes.count)
        }
        return reached >= total
    }
}
