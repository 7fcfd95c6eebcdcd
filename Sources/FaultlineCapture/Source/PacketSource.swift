public import FaultlineCore

/// One captured frame as a source hands it out.
///
/// `bytes` is borrowed: it stays valid only until the source's next
/// `nextPacket()` call (libpcap reuses its buffer), so a decoder copies
/// whatever it keeps.
public struct CapturedPacket {
    /// 1-based frame number in the capture.
    public var number: Int
    public var time: CaptureTime
    /// The frame's length on the wire; `bytes.count` is less when the snaplen cut it.
    public var originalLength: Int
    public var bytes: UnsafeRawBufferPointer

    /// A frame a source hands out (`bytes` valid until its next `nextPacket()`).
    public init(number: Int, time: CaptureTime, originalLength: Int, bytes: UnsafeRawBufferPointer) {
        self.number = number
        self.time = time
        self.originalLength = originalLength
        self.bytes = bytes
    }
}

/// Where packets come from: a capture file today, a live interface later.
/// The DNS decoding behind it only sees this protocol.
public protocol PacketSource: AnyObject {
    /// The capture's name for diagnostics (its path, `-` for standard input).
    var name: String { get }
    var linkType: LinkType { get }
    /// Decimal digits the capture's timestamps carry: 6 (microseconds) or 9 (nanoseconds).
    var timestampDigits: Int { get }
    /// Frames handed out so far.
    var framesRead: Int { get }
    /// The next frame, nil at the end.
    ///
    /// - Throws: a `Diagnostic` naming the frame when the capture is truncated or corrupt.
    func nextPacket() throws(Diagnostic) -> CapturedPacket?
}
