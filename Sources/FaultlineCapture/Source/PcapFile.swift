import CFileStream
import CPcap
public import FaultlineCore
#if canImport(Glibc)
public import Glibc
#endif

/// A packet capture (pcap or pcapng, either byte order, several interfaces)
/// read through libpcap, one frame at a time, with nanosecond timestamps.
///
/// `next()` copies each frame out; `nextPacket()` (the `PacketSource` way)
/// lends libpcap's buffer until the following call. Errors name the capture
/// and the frame.
public final class PcapFile: PacketSource {
    /// One frame: its 1-based number, capture time and link-layer bytes.
    public struct Frame: Sendable {
        public var number: Int
        public var time: Double
        public var originalLength: Int
        public var bytes: [UInt8]
    }

    public let path: String
    /// The link-layer type (`DLT_EN10MB` is 1, `DLT_LINUX_SLL` 113, …).
    public let linkType: LinkType
    public let timestampDigits: Int
    private let handle: OpaquePointer
    /// The stdio buffer of a FILE this object opened, freed after libpcap closes the FILE.
    private var readBuffer: UnsafeMutableRawPointer?
    /// Unchecked: one reader owns a capture, and a dynamic exclusivity check per frame costs more than the rest of `nextPacket`.
    @exclusivity(unchecked) public private(set) var framesRead = 0

    public var name: String { path }

    /// The version string of the libpcap this binary is linked against.
    public static var libraryVersion: String { String(cString: pcap_lib_version()) }

    /// Opens a capture file (`-` for standard input), with nanosecond timestamps; `name` is how
    /// diagnostics name it (the path when nil).
    public convenience init(path: String, name: String? = nil) throws(Diagnostic) {
        let name = name ?? path
        // Our own FILE with a 1 MiB buffer: libpcap reads through stdio, 4 KiB at a time by default.
        let file: UnsafeMutablePointer<FILE>? = path == "-" ? faultline_stdin() : fopen(path, "rb")
        guard let file else {
            let reason = String(cString: strerror(errno))
            throw Diagnostic(code: "capture.open", message: "cannot open it: \(reason)", input: name)
        }
        // glibc ignores setvbuf's size unless it is given the buffer too. Not for standard input,
        // which libpcap leaves open (and which would outlive the buffer).
        let buffer: UnsafeMutableRawPointer? = path == "-" ? nil
            : UnsafeMutableRawPointer.allocate(byteCount: Self.readBufferSize, alignment: 64)
        if let buffer { setvbuf(file, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, Self.readBufferSize) }
        do {
            try self.init(file: file, name: name, closesOnFailure: path != "-",
                          timestampDigits: path == "-" ? 9 : CaptureFileHeader.timestampDigits(path: path))
        } catch {
            buffer?.deallocate()
            throw error
        }
        readBuffer = buffer
    }

    /// Reads a capture from an open stream (a `ReaderFile` over standard input or a gunzipped
    /// file); `head` is its first bytes, for the timestamp precision libpcap does not expose.
    /// The stream is closed with the capture, or at once when libpcap cannot read it.
    public convenience init(file: UnsafeMutablePointer<FILE>, name: String, head: UnsafeRawBufferPointer) throws(Diagnostic) {
        try self.init(file: file, name: name, closesOnFailure: true, timestampDigits: CaptureFileHeader.timestampDigits(head))
    }

    private init(file: UnsafeMutablePointer<FILE>, name: String, closesOnFailure: Bool, timestampDigits: Int) throws(Diagnostic) {
        path = name
        // One thread at a time reads a capture (the `PacketSource` contract): stdio need not lock per fread.
        fl_stream_single_reader(file)
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let opened = pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errbuf) else {
            if closesOnFailure { fclose(file) }
            let message = errbuf.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { String(cString: $0) } ?? "unknown error"
            }
            throw Diagnostic(code: "capture.open", message: "libpcap cannot read it: \(message)", input: name)
        }
        handle = opened
        linkType = LinkType(rawValue: pcap_datalink(opened))
        self.timestampDigits = timestampDigits
    }

    deinit {
        pcap_close(handle)
        readBuffer?.deallocate()
    }

    /// How much libpcap's FILE reads at a time (one `read` per MiB, not per 4 KiB).
    static let readBufferSize = 1 << 20

    /// The next frame, copied; nil at the end of the capture.
    ///
    /// - Throws: a `Diagnostic` naming the frame when the capture is truncated or corrupt.
    public func next() throws(Diagnostic) -> Frame? {
        guard let packet = try nextPacket() else { return nil }
        return Frame(number: packet.number, time: packet.time.seconds, originalLength: packet.originalLength,
                     bytes: Array(packet.bytes.bindMemory(to: UInt8.self)))
    }

    /// A frame's seconds as libpcap gives them. Classic pcap stores unsigned 32-bit seconds and
    /// libpcap reads them as signed: 2^31 (January 2038) comes back as December 1901. A negative
    /// value in 32-bit range is taken as the unsigned number it was (pcapng's 64-bit times are never negative).
    @inline(__always)
    static func seconds(_ value: Int) -> Int64 {
        let seconds = Int64(value)
        return seconds < 0 && seconds >= Int64(Int32.min) ? seconds &+ (1 << 32) : seconds
    }

    /// The next frame, lent until the following call; nil at the end of the capture.
    public func nextPacket() throws(Diagnostic) -> CapturedPacket? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let rc = pcap_next_ex(handle, &header, &data)
        switch rc {
        case 1:
            framesRead += 1
            guard let header else { return nil }
            let h = header.pointee
            let captured = Int(h.caplen)
            let bytes = data.map { UnsafeRawBufferPointer(start: $0, count: captured) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            return CapturedPacket(number: framesRead, time: CaptureTime(seconds: Self.seconds(h.ts.tv_sec), nanoseconds: Int64(h.ts.tv_usec)),
                                  originalLength: Int(h.len), bytes: bytes)
        case -2:
            return nil
        default:
            let message = String(cString: pcap_geterr(handle))
            throw Diagnostic(code: "capture.corrupt", message: "capture cannot be read past this frame: \(message)",
                             input: path, frame: framesRead + 1)
        }
    }
}

/// Reads the file header that libpcap does not expose: how many decimal
/// digits the capture's timestamps really have (pcap magic, pcapng `if_tsresol`).
enum CaptureFileHeader {
    static func timestampDigits(path: String) -> Int {
        guard let file = fopen(path, "rb") else { return 6 }
        defer { fclose(file) }
        var head = [UInt8](repeating: 0, count: 65536)
        let n = fread(&head, 1, head.count, file)
        return head.withUnsafeBytes { timestampDigits(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
    }

    static func timestampDigits(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count >= 4 else { return 6 }
        switch bytes.u32(0) {
        case 0xA1B2_C3D4, 0xD4C3_B2A1: return 6
        case 0xA1B2_3C4D, 0x4D3C_B2A1: return 9
        case 0x0A0D_0D0A: break
        default: return 6
        }
        // pcapng: walk the blocks in the head, reading each interface's if_tsresol.
        guard bytes.count >= 12 else { return 6 }
        let little = bytes.u32(8) == 0x4D3C_2B1A
        func u32(_ at: Int) -> Int {
            let v = bytes.u32(at)
            return Int(little ? v.byteSwapped : v)
        }
        func u16(_ at: Int) -> Int {
            let v = bytes.u16(at)
            return Int(little ? v.byteSwapped : v)
        }
        var digits = 0
        var offset = 0
        while offset + 12 <= bytes.count {
            let type = u32(offset)
            let length = u32(offset + 4)
            guard length >= 12, offset + length <= bytes.count else { break }
            if type == 1 {
                var resolution = 6
                var option = offset + 16
                while option + 4 <= offset + length - 4 {
                    let code = u16(option)
                    let optionLength = u16(option + 2)
                    if code == 0 { break }
                    if code == 9, optionLength >= 1, option + 4 < bytes.count {
                        let v = Int(bytes[option + 4])
                        // Decimal 10^-v, or binary 2^-v (v bits are about 0.3·v decimal digits).
                        resolution = v & 0x80 == 0 ? v : ((v & 0x7F) * 3 + 9) / 10
                    }
                    option += 4 + (optionLength + 3) & ~3
                }
                digits = max(digits, resolution)
            } else if type == 6 || type == 3 {
                break
            }
            offset += length
        }
        return min(9, max(digits == 0 ? 6 : digits, 0))
    }
}
