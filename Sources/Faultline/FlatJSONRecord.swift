/// Reads one JSON object whose values are scalars or arrays of scalars — an NDJSON record of
/// `faultline dns` — straight from its bytes, without Foundation: strings are unescaped to
/// their UTF-8 bytes, numbers kept as their literal text (a nested object is skipped).
enum FlatJSONRecord {
    /// One value of the record.
    enum Value {
        case string([UInt8])
        /// The number's literal text, as written.
        case number([UInt8])
        case bool(Bool)
        /// `null`, or a nested object (skipped).
        case null
        case array([Value])
    }

    /// Calls `field` with each key and value of the object in `bytes`, in order.
    /// - Returns: false when `bytes` is not one such JSON object (some fields may have been given).
    static func read(_ bytes: UnsafeRawBufferPointer, field: (String, Value) -> Void) -> Bool {
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
            guard let value = reader.value(depth: 0) else { return false }
            field(String(decoding: key, as: UTF8.self), value)
            reader.skipSpace()
            if reader.take(0x2C) { continue }
            return reader.take(0x7D)
        }
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

        mutating func value(depth: Int) -> Value? {
            guard depth < 32, let byte = current else { return nil }
            switch byte {
            case 0x22: return string().map(Value.string)
            case 0x74: return literal("true") ? .bool(true) : nil
            case 0x66: return literal("false") ? .bool(false) : nil
            case 0x6E: return literal("null") ? .null : nil
            case 0x5B:
                index += 1
                var elements: [Value] = []
                skipSpace()
                if take(0x5D) { return .array(elements) }
                while true {
                    skipSpace()
                    guard let element = value(depth: depth + 1) else { return nil }
                    elements.append(element)
                    skipSpace()
                    if take(0x2C) { continue }
                    return take(0x5D) ? .array(elements) : nil
                }
            case 0x7B:
                index += 1
                skipSpace()
                if take(0x7D) { return .null }
                while true {
                    skipSpace()
                    guard string() != nil else { return nil }
                    skipSpace()
                    guard take(0x3A) else { return nil }
                    skipSpace()
                    guard value(depth: depth + 1) != nil else { return nil }
                    skipSpace()
                    if take(0x2C) { continue }
                    return take(0x7D) ? .null : nil
                }
            case 0x2D, 0x30...0x39:
                let start = index
                while let next = current, next == 0x2D || next == 0x2B || next == 0x2E || next == 0x45 || next == 0x65
                        || (0x30...0x39).contains(next) {
                    index += 1
                }
                return .number(Array(bytes[start..<index]))
            default:
                return nil
            }
        }

        /// A string's bytes, unescaped.
        mutating func string() -> [UInt8]? {
            guard take(0x22) else { return nil }
            var out: [UInt8] = []
            while let byte = current {
                index += 1
                switch byte {
                case 0x22: return out
                case 0x5C:
                    guard let escaped = current else { return nil }
                    index += 1
                    switch escaped {
                    case 0x22, 0x5C, 0x2F: out.append(escaped)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x75:
                        guard var scalar = hex4() else { return nil }
                        if (0xD800..<0xDC00).contains(scalar), literal("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
                    default: return nil
                    }
                default:
                    out.append(byte)
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }
    }
}
