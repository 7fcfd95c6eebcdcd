import FaultlineCore

/// A packet source read ahead on a thread of its own: that thread calls the
/// wrapped source (libpcap's reads, the kernel's copies) and fills batches of
/// frames, while the caller decodes the batch before. Frames, their numbers and
/// times, the end and a read error come out exactly as the wrapped source gives
/// them, in order; at most `depth` batches wait, so memory stays bounded.
///
/// Like any source, a frame's bytes are lent until the next `nextPacket()`.
final class PrefetchingPacketSource: PacketSource {
    /// Frames per batch, and the bytes a batch holds before it is handed over.
    static let framesPerBatch = 1024
    static let bytesPerBatch = 1 << 18
    /// Batches waiting between the two threads.
    static let depth = 4

    let name: String
    let linkType: LinkType
    let timestampDigits: Int
    private(set) var framesRead = 0

    private let filled = BatchQueue<FrameBatch>(depth: depth)
    private let emptied = BatchQueue<FrameBatch>(depth: depth + 2)
    private var current = FrameBatch()
    private var index = 0
    private var thread: WorkerThread?

    init(_ source: any PacketSource) {
        name = source.name
        linkType = source.linkType
        timestampDigits = source.timestampDigits
        let filled = filled
        let emptied = emptied
        let reader = SourceBox(source)
        thread = WorkerThread {
            while true {
                var batch = emptied.poll() ?? FrameBatch()
                batch.reset()
                let finished = batch.fill(from: reader.source)
                filled.put(consume batch)
                if finished { break }
            }
        }
    }

    deinit {
        // The caller may stop early: let the reading thread finish and end.
        filled.close()
        emptied.close()
        thread?.join()
    }

    func nextPacket() throws(Diagnostic) -> CapturedPacket? {
        while index >= current.frames.count {
            if let error = current.error {
                current.error = nil
                current.end = true
                throw error
            }
            if current.end { return nil }
            var next = filled.take() ?? FrameBatch.ended
            swap(&next, &current)
            index = 0
            emptied.offer(consume next)
        }
        let frame = current.frames[index]
        index += 1
        framesRead += 1
        return CapturedPacket(number: frame.number, time: frame.time, originalLength: frame.originalLength,
                              bytes: current.storage.bytes(frame.offset, frame.count))
    }
}

/// The wrapped source, handed to the reading thread (which alone uses it from then on).
private final class SourceBox: @unchecked Sendable {
    let source: any PacketSource
    init(_ source: any PacketSource) { self.source = source }
}

/// Frames copied out of a source, with how the read ended if it did.
private struct FrameBatch: Sendable {
    struct Frame: Sendable {
        var number: Int
        var time: CaptureTime
        var originalLength: Int
        var offset: Int
        var count: Int
    }

    var frames: [Frame] = []
    var storage = FrameStorage(capacity: PrefetchingPacketSource.bytesPerBatch)
    /// The source has no more frames after these.
    var end = false
    /// The read error that ended the source, after these frames.
    var error: Diagnostic?

    /// A batch standing for the end of the source.
    static var ended: FrameBatch {
        var batch = FrameBatch(capacity: 0)
        batch.end = true
        return batch
    }

    init() { frames.reserveCapacity(PrefetchingPacketSource.framesPerBatch) }

    private init(capacity: Int) { storage = FrameStorage(capacity: capacity) }

    mutating func reset() {
        frames.removeAll(keepingCapacity: true)
        storage.count = 0
        end = false
        error = nil
    }

    /// Reads frames until the batch is full or the source ends; true when it ended.
    mutating func fill(from source: any PacketSource) -> Bool {
        while frames.count < PrefetchingPacketSource.framesPerBatch, storage.count < PrefetchingPacketSource.bytesPerBatch {
            let packet: CapturedPacket
            do {
                guard let next = try source.nextPacket() else {
                    end = true
                    return true
                }
                packet = next
            } catch {
                self.error = error
                end = true
                return true
            }
            let offset = storage.append(packet.bytes)
            frames.append(Frame(number: packet.number, time: packet.time, originalLength: packet.originalLength,
                                offset: offset, count: packet.bytes.count))
        }
        return false
    }
}

/// The bytes of a batch's frames, in one growable allocation (freed with the last copy of the batch).
private final class FrameStorageBuffer: @unchecked Sendable {
    var base: UnsafeMutableRawPointer
    var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }
}

/// Appends frames' bytes to a `FrameStorageBuffer`; a batch is filled by one thread, then read by another.
private struct FrameStorage: Sendable {
    private let buffer: FrameStorageBuffer
    var count = 0

    init(capacity: Int) { buffer = FrameStorageBuffer(capacity: capacity) }

    /// Copies `bytes` in and returns where they start.
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let offset = count
        if count + bytes.count > buffer.capacity {
            var bigger = buffer.capacity * 2
            while bigger < count + bytes.count { bigger *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 16)
            grown.copyMemory(from: buffer.base, byteCount: count)
            buffer.base.deallocate()
            buffer.base = grown
            buffer.capacity = bigger
        }
        if let source = bytes.baseAddress, bytes.count > 0 {
            (buffer.base + offset).copyMemory(from: source, byteCount: bytes.count)
        }
        count += bytes.count
        return offset
    }

    func bytes(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffer.base + offset, count: length)
    }
}
