/// A streaming JSON tokenizer fed in chunks of any size: it keeps only the
/// token being read and the stack of open containers, so a thread dump of
/// any size is read without holding the document, and a chunk boundary
/// inside a string, an escape or a number changes nothing.
///
/// It checks structure (brackets, strings, escapes, literals), not every
/// comma; the first error stops it and is kept in `error`.
struct JSONStreamReader {
    /// Where and why the document stopped being JSON.
    struct SyntaxError: Sendable {
        var message: String
        var line: Int
        var offset: Int
    }

    private enum Mode {
        case structure, string, escape, unicode, scalar
    }

    private var mode = Mode.structure
    private var stack: [UInt8] = []
    private var expectKey = false
    private var stringIsKey = false
    private var buffer: [UInt8] = []
    private var unicodeValue: UInt32 = 0
    private var unicodeDigits = 0
    private var highSurrogate: UInt32?
    private var tokenLine = 1
    private var tokenOffset = 0
    private(set) var line = 1
    private(set) var offset = 0
    private(set) var error: SyntaxError?
    /// Top-level values completed (a file may hold several documents one after another).
    private(set) var documents = 0
    /// Longest string kept; longer ones are cut (a frame is never near this).
    var maxStringLength = 1 << 16

    var isInsideDocument: Bool { !stack.isEmpty || mode != .structure }

    mutating func feed<Sink: JSONTokenSink>(_ chunk: UnsafeRawBufferPointer, into sink: inout Sink) {
        guard error == nil else { return }
        var i = 0
        let count = chunk.count
        while i < count {
            let b = chunk[i]
            switch mode {
            case .string:
                // Copy a run of plain bytes at once.
                var end = i
                while end < count {
                    let c = chunk[end]
                    if c == 0x22 || c == 0x5C || c == 0x0A { break }
                    end += 1
                }
                if end > i {
                    if buffer.count < maxStringLength {
                        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[i..<min(end, i + maxStringLength - buffer.count)]))
                    }
                    offset += end - i
                    i = end
                    continue
                }
                if b == 0x22 {
                    mode = .structure
                    let text = String(decoding: buffer, as: UTF8.self)
                    buffer.removeAll(keepingCapacity: true)
                    if stringIsKey {
                        sink.token(.key(text), line: tokenLine, offset: tokenOffset)
                    } else {
                        sink.token(.string(text), line: tokenLine, offset: tokenOffset)
                        valueDone()
                    }
                } else if b == 0x5C {
                    mode = .escape
                } else {
                    fail("a line break inside a string", sink: &sink)
                    return
                }
            case .escape:
                mode = .string
                switch b {
                case 0x22, 0x5C, 0x2F: buffer.append(b)
                case 0x62: buffer.append(0x08)
                case 0x66: buffer.append(0x0C)
                case 0x6E: buffer.append(0x0A)
                case 0x72: buffer.append(0x0D)
                case 0x74: buffer.append(0x09)
                case 0x75:
                    mode = .unicode
                    unicodeValue = 0
                    unicodeDigits = 0
                default:
                    fail("an invalid escape \\\(Self.show(b))", sink: &sink)
                    return
                }
            case .unicode:
                guard let digit = ByteText.hexValue(b) else {
                    fail("an invalid \\u escape", sink: &sink)
                    return
                }
                unicodeValue = unicodeValue << 4 | UInt32(digit)
                unicodeDigits += 1
                if unicodeDigits == 4 {
                    mode = .string
                    appendScalar(unicodeValue)
                }
            case .scalar:
                if (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x2B || b == 0x2D || b == 0x2E {
                    if buffer.count < 64 { buffer.append(b) }
                } else {
                    guard finishScalar(sink: &sink) else { return }
                    continue  // read this byte again as structure
                }
            case .structure:
                switch b {
                case 0x20, 0x09, 0x0D:
                    break
                case 0x0A:
                    line += 1
                case 0x7B, 0x5B: // { [
                    stack.append(b)
                    expectKey = b == 0x7B
                    sink.token(b == 0x7B ? .beginObject : .beginArray, line: line, offset: offset)
                case 0x7D, 0x5D: // } ]
                    let open: UInt8 = b == 0x7D ? 0x7B : 0x5B
                    guard stack.last == open else {
                        fail("'\(Self.show(b))' does not close \(stack.last.map { "'\(Self.show($0))'" } ?? "anything")", sink: &sink)
                        return
                    }
                    stack.removeLast()
                    sink.token(b == 0x7D ? .endObject : .endArray, line: line, offset: offset)
                    valueDone()
                case 0x2C: // ,
                    expectKey = stack.last == 0x7B
                case 0x3A: // :
                    expectKey = false
                case 0x22:
                    mode = .string
                    stringIsKey = stack.last == 0x7B && expectKey
                    expectKey = false
                    tokenLine = line
                    tokenOffset = offset
                default:
                    if (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x74 || b == 0x66 || b == 0x6E {
                        mode = .scalar
                        buffer.removeAll(keepingCapacity: true)
                        buffer.append(b)
                        tokenLine = line
                        tokenOffset = offset
                    } else {
                        fail("unexpected '\(Self.show(b))'", sink: &sink)
                        return
                    }
                }
            }
            offset += 1
            i += 1
        }
    }

    /// End of input: a number at the very end is complete; an open string or container is an error.
    mutating func finish<Sink: JSONTokenSink>(into sink: inout Sink) {
        guard error == nil else { return }
        if mode == .scalar, !finishScalar(sink: &sink) { return }
        if mode != .structure {
            fail("the input ends inside a string", sink: &sink)
        } else if !stack.isEmpty {
            fail("the input ends with \(stack.count) unclosed bracket\(stack.count == 1 ? "" : "s")", sink: &sink)
        }
    }

    private mutating func finishScalar<Sink: JSONTokenSink>(sink: inout Sink) -> Bool {
        mode = .structure
        let text = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll(keepingCapacity: true)
        switch text {
        case "true": sink.token(.bool(true), line: tokenLine, offset: tokenOffset)
        case "false": sink.token(.bool(false), line: tokenLine, offset: tokenOffset)
        case "null": sink.token(.null, line: tokenLine, offset: tokenOffset)
        default:
            guard let value = Double(text) else {
                error = SyntaxError(message: "'\(text)' is not a JSON value", line: tokenLine, offset: tokenOffset)
                return false
            }
            sink.token(.number(value), line: tokenLine, offset: tokenOffset)
        }
        valueDone()
        return true
    }

    private mutating func valueDone() {
        if stack.isEmpty { documents += 1 }
    }

    private mutating func appendScalar(_ value: UInt32) {
        if (0xD800...0xDBFF).contains(value) {
            highSurrogate = value
            return
        }
        var scalarValue = value
        if (0xDC00...0xDFFF).contains(value), let high = highSurrogate {
            scalarValue = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)
        }
        highSurrogate = nil
        let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
        buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func fail<Sink: JSONTokenSink>(_ message: String, sink _: inout Sink) {
        error = SyntaxError(message: message, line: line, offset: offset)
    }

    static func show(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }
}
