import FaultlineCore
import FaultlineCapture
import FaultlineInput

/// Opens captures for libpcap the way Faultline reads every input: a plain
/// file straight by path (libpcap's own fast reads, for `dns` and `analyze`),
/// standard input and compressed files through a `ReaderFile` over the
/// decompressed stream.
enum CaptureOpener {
    /// A capture and, when one was needed, the stream under it (whose `error` names a byte offset).
    struct Opened {
        var source: PcapFile
        var stream: ReaderFile?
    }

    /// For `faultline dns`: the path as given (`-` for standard input).
    static func open(_ path: String) throws(Diagnostic) -> Opened {
        let reader = try InputReader(path: path)
        if path != "-", !reader.isCompressed { return Opened(source: try PcapFile(path: path), stream: nil) }
        // The head tells the timestamp precision (pcapng's if_tsresol); it is given back first.
        var head = [UInt8](repeating: 0, count: 64 * 1024)
        let (filled, error) = head.withUnsafeMutableBytes { reader.fill($0) }
        if let error { throw error }
        return try open(OpenedInput(reader: reader, head: Array(head[0..<filled])), path: path)
    }

    /// For `faultline dns -` on a stream still being written (`tcpdump -U -w - | faultline dns -`):
    /// the head is read only as far as libpcap needs to start (the pcap file header; pcapng's
    /// blocks up to its first interface description), not 64 KiB, which may take minutes to arrive.
    static func openStream(_ path: String) throws(Diagnostic) -> (opened: Opened, reader: InputReader) {
        let reader = try InputReader(path: path)
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while head.count < chunk.count, !CaptureStreamHead.isEnough(head) {
            let room = chunk.count - head.count
            let n = try chunk.withUnsafeMutableBytes { raw in
                Result { () throws(Diagnostic) in try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<room])) }
            }.get()
            if n == 0 { break }
            head += chunk[0..<n]
        }
        return (try open(OpenedInput(reader: reader, head: head), path: path), reader)
    }

    /// For `faultline analyze`: an input already opened and partly read for format detection. A
    /// plain file is opened again by its path for libpcap (one copy of the bytes fewer than through
    /// a stream over the reader).
    static func open(_ input: OpenedInput, path: String) throws(Diagnostic) -> Opened {
        if input.reader.isPlainFile { return Opened(source: try PcapFile(path: input.reader.path, name: path), stream: nil) }
        let stream = ReaderFile(reader: input.reader, prefix: input.head)
        guard let file = stream.file else {
            throw Diagnostic(code: "capture.open", message: "cannot open a stream over it", input: path)
        }
        let opened = input.head.withUnsafeBytes { head in
            Result { () throws(Diagnostic) in try PcapFile(file: file, name: path, head: head) }
        }
        switch opened {
        case .success(let source): return Opened(source: source, stream: stream)
        case .failure(let error): throw stream.error ?? error
        }
    }
}

/// How much of a capture's start libpcap needs before it can read frames.
enum CaptureStreamHead {
    static func isEnough(_ head: [UInt8]) -> Bool {
        guard head.count >= 4 else { return false }
        let magic = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
        switch magic {
        case 0xD4C3_B2A1, 0xA1B2_C3D4, 0x4D3C_B2A1, 0xA1B2_3C4D:
            return head.count >= 24
        case 0x0A0D_0D0A:
            // Section header, then blocks up to and including the first interface description.
            guard head.count >= 12 else { return false }
            let little = head[8] == 0x4D
            func u32(_ at: Int) -> Int {
                let bytes = head[at..<(at + 4)].map(Int.init)
                return little ? bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24
                              : bytes[3] | bytes[2] << 8 | bytes[1] << 16 | bytes[0] << 24
            }
            var offset = 0
            while offset + 8 <= head.count {
                let type = u32(offset)
                let length = u32(offset + 4)
                guard length >= 12 else { return true }  // malformed: let libpcap say so
                guard offset + length <= head.count else { return false }
                if type == 1 { return true }
                offset += length
            }
            return false
        default:
            return true  // not a capture: libpcap reports it
        }
    }
}
