import CPcap
public import FaultlineCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Packets captured live from a network interface through libpcap
/// (`pcap_create`, immediate mode, a BPF filter, `pcap_activate`), handed out
/// as a `PacketSource` so the same DNS decoding reads them as it reads a file.
/// Optionally every captured frame is also written to a pcap file.
///
/// `nextPacket()` waits for the next frame (one thread reads); `stop()`, from
/// any thread, makes it return nil within the read timeout.
public final class LiveInterface: PacketSource, @unchecked Sendable {
    public let interface: String
    public let linkType: LinkType
    public let timestampDigits: Int
    public private(set) var framesRead = 0
    public var name: String { "capture:" + interface }
    private let handle: OpaquePointer
    private let dumper: OpaquePointer?
    private let stopped = Atomic<Bool>(false)
    private let nanoseconds: Bool

    /// Opens `interface` (`any` for all of them) with `filter`; `keep` names a pcap file to write the frames to.
    ///
    /// - Throws: a `Diagnostic` with libpcap's reason (no such device, no permission to capture).
    public init(interface: String, filter: String = "port 53", keep: String? = nil, readTimeoutMilliseconds: Int32 = 100) throws(Diagnostic) {
        self.interface = interface
        let input = "capture:" + interface
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let created = pcap_create(interface, &errbuf) else {
            throw Diagnostic(code: "capture.open", message: "libpcap cannot open it: \(Self.text(errbuf))", input: input)
        }
        pcap_set_snaplen(created, 65535)
        pcap_set_promisc(created, 0)
        pcap_set_timeout(created, readTimeoutMilliseconds)
        pcap_set_immediate_mode(created, 1)
        nanoseconds = pcap_set_tstamp_precision(created, Int32(PCAP_TSTAMP_PRECISION_NANO)) == 0
        let status = pcap_activate(created)
        if status < 0 {
            let detail = status == PCAP_ERROR_PERM_DENIED || status == PCAP_ERROR
                ? String(cString: pcap_geterr(created)) : String(cString: pcap_statustostr(status))
            pcap_close(created)
            throw Diagnostic(code: "capture.activate", message: "cannot capture on \(interface): \(detail)", input: input)
        }
        var program = bpf_program()
        if pcap_compile(created, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(created, &program) != 0 {
            let detail = String(cString: pcap_geterr(created))
            pcap_freecode(&program)
            pcap_close(created)
            throw Diagnostic(code: "capture.filter", message: "filter '\(filter)': \(detail)", input: input)
        }
        pcap_freecode(&program)
        if let keep {
            guard let opened = pcap_dump_open(created, keep) else {
                let detail = String(cString: pcap_geterr(created))
                pcap_close(created)
                throw Diagnostic(code: "capture.keep", message: "cannot write \(keep): \(detail)", input: input)
            }
            dumper = opened
        } else {
            dumper = nil
        }
        handle = created
        linkType = LinkType(rawValue: pcap_datalink(created))
        timestampDigits = nanoseconds ? 9 : 6
    }

    deinit {
        if let dumper { pcap_dump_close(dumper) }
        pcap_close(handle)
    }

    /// Makes `nextPacket()` return nil (the end of the capture): libpcap's wait is broken off
    /// (`pcap_breakloop`, which wakes its `poll` on Linux), else it ends at the next read timeout.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        pcap_breakloop(handle)
    }

    /// The next frame, lent until the following call; nil once stopped.
    public func nextPacket() throws(Diagnostic) -> CapturedPacket? {
        while !stopped.load(ordering: .acquiring) {
            var header: UnsafeMutablePointer<pcap_pkthdr>?
            var data: UnsafePointer<UInt8>?
            let rc = pcap_next_ex(handle, &header, &data)
            switch rc {
            case 1:
                guard let header else { continue }
                framesRead += 1
                if let dumper, let data {
                    pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), header, data)
                    pcap_dump_flush(dumper)
                }
                let h = header.pointee
                let captured = Int(h.caplen)
                let bytes = data.map { UnsafeRawBufferPointer(start: $0, count: captured) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
                let fraction = Int64(h.ts.tv_usec) * (nanoseconds ? 1 : 1000)
                return CapturedPacket(number: framesRead, time: CaptureTime(seconds: Int64(h.ts.tv_sec), nanoseconds: fraction),
                                      originalLength: Int(h.len), bytes: bytes)
            case 0:
                continue
            case -2:
                return nil
            default:
                let message = String(cString: pcap_geterr(handle))
                throw Diagnostic(code: "capture.read", message: "capture stopped: \(message)", input: name, frame: framesRead + 1)
            }
        }
        return nil
    }

    private static func text(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { $0.baseAddress.map { String(cString: $0) } ?? "unknown error" }
    }
}
