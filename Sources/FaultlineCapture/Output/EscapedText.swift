/// Escaping of bytes that came from a capture for text output: printable
/// ASCII passes, anything else becomes `\xNN` (as Zeek's logs write it).
/// JSON output escapes the same way, inside `ByteSink.appendJSONString`.
enum EscapedText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// For a terminal: printable ASCII, everything else as `\xNN`, into any byte sink
    /// (an output buffer, an array).
    static func appendPlain<C: Collection<UInt8>, Sink: TextSink>(_ bytes: C, into out: inout Sink) {
        for b in bytes {
            if b >= 0x20, b <= 0x7E, b != 0x5C {
                out.byte(b)
            } else {
                out.byte(0x5C)
                out.byte(0x78)
                out.byte(hex[Int(b >> 4)])
                out.byte(hex[Int(b & 0xF)])
            }
        }
    }

    static func appendPlain<C: Collection<UInt8>>(_ bytes: C, to out: inout [UInt8]) {
        // The array is moved into the sink and back, never copied.
        var sink = ArrayTextSink(bytes: [])
        swap(&sink.bytes, &out)
        appendPlain(bytes, into: &sink)
        swap(&sink.bytes, &out)
    }

    /// A name or answer as a `String` safe for any output (same escapes as `appendPlain`).
    static func plain<C: Collection<UInt8>>(_ bytes: C) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        appendPlain(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
