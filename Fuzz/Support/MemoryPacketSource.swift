public import FaultlineCapture
public import FaultlineCore

/// A `PacketSource` over frames held in memory: the packet and DNS harnesses feed the same
/// decoding a capture file gets, without libpcap in between. Frames are one a second apart,
/// so transactions time out and pair as they would in a capture.
public final class MemoryPacketSource: PacketSource {
    public let name = "fuzz"
    public let linkType: LinkType
    public let timestampDigits = 6
    public private(set) var framesRead = 0
    /// Every frame, back to back, in memory of its own (a frame handed out must not move).
    private let storage: UnsafeMutableRawBufferPointer
    private let bounds: [Range<Int>]

    public init(linkType: LinkType, frames: [[UInt8]]) {
        self.linkType = linkType
        storage = .allocate(byteCount: max(1, frames.reduce(0) { $0 + $1.count }), alignment: 8)
        var bounds: [Range<Int>] = []
        var at = 0
        for frame in frames {
            UnsafeMutableRawBufferPointer(rebasing: storage[at..<at + frame.count]).copyBytes(from: frame)
            bounds.append(at..<at + frame.count)
            at += frame.count
        }
        self.bounds = bounds
    }

    deinit { storage.deallocate() }

    public func nextPacket() throws(Diagnostic) -> CapturedPacket? {
        guard framesRead < bounds.count else { return nil }
        let range = bounds[framesRead]
        framesRead += 1
        return CapturedPacket(number: framesRead, time: CaptureTime(nanoseconds: Int64(framesRead) * 1_000_000_000),
                              originalLength: range.count, bytes: UnsafeRawBufferPointer(rebasing: storage[range]))
    }
}
