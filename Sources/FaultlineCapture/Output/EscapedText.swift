/// Escaping of bytes that came from a capture for text output: printable
/// ASCII passes, anything else becomes `\xNN` (as Zeek's logs write it).
/// JSON output escapes the same way, inside `ByteSink.appendJSONString`.
enum EscapedText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// For a terminal: printable ASCII, everything else as `\xNN`.
    static func appendPlain<C: Collection<UInt8>>(_ bytes: C, to out: inout [UInt8]) {
        for b in bytes {
            if b >= 0x20, b <= 0x7E, b != 0x5C {
                out.append(b)
            } else {
                out.append(contentsOf: [0x5C, 0x78, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
    }

    /// A name or answer as a `String` safe for any output (same escapes as `appendPlain`).
    static func plain<C: Collection<UInt8>>(_ bytes: C) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        appendPlain(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
