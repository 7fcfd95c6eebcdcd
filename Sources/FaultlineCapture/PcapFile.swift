import CPcap
public import FaultlineCore

/// A packet capture (pcap or pcapng) read through libpcap, one frame at a time.
///
/// Each frame's bytes are copied out before the next `pcap_next_ex` call,
/// which invalidates them. Errors name the capture and the frame.
public final class PcapFile {
    /// One frame: its 1-based number, capture time and link-layer bytes.
    public struct Frame: Sendable {
        public var number: Int
        public var time: Double
        public var originalLength: Int
        public var bytes: [UInt8]
    }

    public let path: String
    /// The link-layer type (`DLT_EN10MB` is 1, `DLT_LINUX_SLL` 113, …).
    public let linkType: Int32
    private let handle: OpaquePointer
    public private(set) var framesRead = 0

    /// The version string of the libpcap this binary is linked against.
    public static var libraryVersion: String { String(cString: pcap_lib_version()) }

    /// Opens a capture file (`-` for standard input), with nanosecond timestamps.
    public init(path: String) throws(Diagnostic) {
        self.path = path
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let opened: OpaquePointer? = path == "-"
            ? pcap_fopen_offline_with_tstamp_precision(faultline_stdin(), UInt32(PCAP_TSTAMP_PRECISION_NANO), &errbuf)
            : pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errbuf)
        guard let opened else {
            let message = errbuf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw Diagnostic(code: "capture.open", message: "libpcap cannot read it: \(message)", input: path)
        }
        handle = opened
        linkType = pcap_datalink(opened)
    }

    deinit { pcap_close(handle) }

    /// The next frame, nil at the end of the capture.
    ///
    /// - Throws: a `Diagnostic` naming the frame when the capture is truncated or corrupt.
    public func next() throws(Diagnostic) -> Frame? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let rc = pcap_next_ex(handle, &header, &data)
        switch rc {
        case 1:
            framesRead += 1
            guard let header, let data else { return nil }
            let h = header.pointee
            let captured = Int(h.caplen)
            let time = Double(h.ts.tv_sec) + Double(h.ts.tv_usec) / 1_000_000_000
            return Frame(number: framesRead, time: time, originalLength: Int(h.len),
                         bytes: Array(UnsafeBufferPointer(start: data, count: captured)))
        case -2:
            return nil
        default:
            let message = String(cString: pcap_geterr(handle))
            throw Diagnostic(code: "capture.corrupt", message: "capture cannot be read past this frame: \(message)",
                             input: path, frame: framesRead + 1)
        }
    }
}
