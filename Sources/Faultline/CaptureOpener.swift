import FaultlineCore
import FaultlineCapture
import FaultlineInput

/// Opens captures for libpcap the way Faultline reads every input: a plain
/// file straight by path (libpcap's own fast reads), standard input and
/// gzip-compressed files through a `ReaderFile` over the decompressed stream.
enum CaptureOpener {
    /// A capture and, when one was needed, the stream under it (whose `error` names a byte offset).
    struct Opened {
        var source: PcapFile
        var stream: ReaderFile?
    }

    /// For `faultline dns`: the path as given (`-` for standard input).
    static func open(_ path: String) throws(Diagnostic) -> Opened {
        let reader = try InputReader(path: path)
        if path != "-", !reader.isGzip { return Opened(source: try PcapFile(path: path), stream: nil) }
        // The head tells the timestamp precision (pcapng's if_tsresol); it is given back first.
        var head = [UInt8](repeating: 0, count: 64 * 1024)
        let (filled, error) = head.withUnsafeMutableBytes { reader.fill($0) }
        if let error { throw error }
        return try open(OpenedInput(reader: reader, head: Array(head[0..<filled])), path: path)
    }

    /// For `faultline analyze`: an input already opened and partly read for format detection.
    static func open(_ input: OpenedInput, path: String) throws(Diagnostic) -> Opened {
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
