/// Escaping of bytes that came from a capture, for every output: printable
/// ASCII passes, anything else becomes `\xNN` (as Zeek's logs write it), and
/// inside JSON `"` and `\` are escaped and `<`, `>`, `&` become `\u003c`…
/// so a record can be embedded in HTML.
enum EscapedText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    static func appendJSON<C: Collection<UInt8>>(_ bytes: C, to out: inout [UInt8]) {
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x3C, 0x3E, 0x26:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            case 0x20...0x7E: out.append(b)
            default:
                // A literal `\x`, escaped for JSON: `\\xNN`.
                out.append(contentsOf: [0x5C, 0x5C, 0x78, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        out.append(0x22)
    }

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
