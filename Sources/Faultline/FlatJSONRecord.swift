/// Reads one JSON object whose values are scalars or arrays of scalars — an NDJSON record of
/// `faultline dns` — in place over its bytes: each value is a `Token` naming a range of the
/// bytes, so nothing is allocated per record (nested objects and arrays are skipped).
enum FlatJSONRecord {
    /// One value: a range of the record's bytes, or of `elements` for an array.
    struct Token {
        enum Kind { case absent, string, number, bool, null, array }
        var kind: Kind
        /// A string's content (without quotes), a number's literal, or an array's range of `elements`.
        var start: Int
        var end: Int
        /// A string with a backslash escape in it (its bytes need `unescape`).
        var escaped = false
        /// A boolean's value.
        var flag = false

        static let absent = Token(kind: .absent, start: 0, end: 0)
    }

    /// Calls `field` with each key (its bytes) and value of the object in `bytes`, in order; an
    /// array's tokens are appended to `elements` (which the caller empties between records).
    /// - Returns: false when `bytes` is not one such JSON object (some fields may have been given).
    static func read(_ bytes: UnsafeRawBufferPointer, elements: inout [Token],
                     field: (UnsafeRawBufferPointer, Token) -> Void) -> Bool {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        guard reader.take(0x7B) else { return false }
        reader.skipSpace()
        if reader.take(0x7D) { return true }
        while true {
            reader.skipSpace()
            guard let key = reader.string() else { return false }
            reader.skipSpace()
            guard reader.take(0x3A) else { return false }
            reader.skipSpace()
            guard let value = reader.value(elements: &elements, depth: 0) else { return false }
            field(UnsafeRawBufferPointer(rebasing: bytes[key.start..<key.end]), value)
            reader.skipSpace()
            if reader.take(0x2C) { continue }
            return reader.take(0x7D)
        }
    }

    /// The UTF-8 bytes of an escaped string token, appended to `out`.
    static func unescape(_ bytes: UnsafeRawBufferPointer, _ token: Token, into out: inout [UInt8]) {
        var index = token.start
        while index < token.end {
            let byte = bytes[index]
            index += 1
            guard byte == 0x5C, index < token.end else {
                out.append(byte)
                continue
            }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = hex4(bytes, at: index, end: token.end) ?? 0xFFFD
                index = min(token.end, index + 4)
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= token.end, bytes[index] == 0x5C, bytes[index + 1] == 0x75,
                   let low = hex4(bytes, at: index + 2, end: token.end), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
            default: out.append(escaped)  // \" \\ \/
            }
        }
    }

    static func hex4(_ bytes: UnsafeRawBufferPointer, at start: Int, end: Int) -> UInt32? {
        guard start + 4 <= end else { return nil }
        var value: UInt32 = 0
        for index in start..<start + 4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            index += 1
            return true
        }

        mutating func literal(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A value; arrays of scalars put their tokens in `elements`, deeper nesting is skipped.
        mutating func value(elements: inout [Token], depth: Int) -> Token? {
            guard depth < 32, let byte = current else { return nil }
            switch byte {
            case 0x22: return string()
            case 0x74: return literal("true") ? Token(kind: .bool, start: 0, end: 0, flag: true) : nil
            case 0x66: return literal("false") ? Token(kind: .bool, start: 0, end: 0, flag: false) : nil
            case 0x6E: return literal("null") ? Token(kind: .null, start: 0, end: 0) : nil
            case 0x5B, 0x7B:
                index += 1
                let isArray = byte == 0x5B
                let close: UInt8 = isArray ? 0x5D : 0x7D
                let first = elements.count
                skipSpace()
                if take(close) { return isArray ? Token(kind: .array, start: first, end: first) : Token(kind: .null, start: 0, end: 0) }
                while true {
                    skipSpace()
                    if !isArray {
                        guard string() != nil else { return nil }
                        skipSpace()
                        guard take(0x3A) else { return nil }
                        skipSpace()
                    }
                    guard let element = value(elements: &elements, depth: depth + 1) else { return nil }
                    if isArray && depth == 0 && element.kind != .array { elements.append(element) }
                    skipSpace()
                    if take(0x2C) { continue }
                    guard take(close) else { return nil }
                    if isArray && depth == 0 { return Token(kind: .array, start: first, end: elements.count) }
                    elements.removeSubrange(first...)
                    return Token(kind: .null, start: 0, end: 0)
                }
            case 0x2D, 0x30...0x39:
                let start = index
                while let next = current, next == 0x2D || next == 0x2B || next == 0x2E || next == 0x45 || next == 0x65
                        || (0x30...0x39).contains(next) {
                    index += 1
                }
                return Token(kind: .number, start: start, end: index)
            default:
                return nil
            }
        }

        /// A string token: the range between its quotes.
        mutating func string() -> Token? {
            guard take(0x22) else { return nil }
            let start = index
            var escaped = false
            while let byte = current {
                index += 1
                if byte == 0x22 { return Token(kind: .string, start: start, end: index - 1, escaped: escaped) }
                if byte == 0x5C {
                    escaped = true
                    guard current != nil else { return nil }
                    index += 1
                }
            }
            return nil
        }
    }
}
