import FaultlineCore

/// What a subject must look like to be pasted into a command or a fix.
///
/// A host is a name or an address, a nameserver an address with an optional
/// port, a URL an `http(s)://` URL of RFC 3986 characters, a module or package
/// a path of the characters Go and npm allow, a version or tool a single word,
/// an integrity a Subresource Integrity string. Any subject must be free of
/// control characters and of characters that reorder or break lines (bidi
/// overrides and isolates, U+2028/U+2029). A value of the wrong shape is
/// treated as missing (`<host>`), so a log line cannot put `$(…)` or a
/// second command where a host name belongs.
public enum SubjectShape {
    /// Whether `value` can be what a template's `{key}` stands for.
    public static func accepts(_ value: String, for key: String) -> Bool {
        guard !value.isEmpty, value.unicodeScalars.allSatisfy(isPlain) else { return false }
        let bytes = value.utf8
        switch key {
        case Subjects.Key.host:
            return bytes.allSatisfy { isAlphanumeric($0) || isAny($0, of: ".-_:[]") }
        case Subjects.Key.nameserver, Subjects.Key.address, Subjects.Key.proxy,
             "nameserver_ip", "address_ip", "proxy_ip":
            return bytes.allSatisfy { isAlphanumeric($0) || isAny($0, of: ".-_:[]%/") }
        case Subjects.Key.url:
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else { return false }
            return bytes.allSatisfy { isAlphanumeric($0) || isAny($0, of: "-._~:/?#[]@!$&'()*+,;=%") }
        case Subjects.Key.module, Subjects.Key.package:
            return bytes.allSatisfy { isAlphanumeric($0) || isAny($0, of: "-._~/+@!") }
        case Subjects.Key.version, "tool", Subjects.Key.exitCode:
            return bytes.allSatisfy { isAlphanumeric($0) || isAny($0, of: "-._+~") }
        case "integrity":
            return bytes.allSatisfy { isAlphanumeric($0) || isAny($0, of: "-+/=") }
        default:
            return true
        }
    }

    /// Not a control character, and not one that reorders or breaks lines.
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069, 0x061C, 0xFEFF:
            return false
        default:
            return true
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func isAny(_ byte: UInt8, of characters: StaticString) -> Bool {
        UnsafeBufferPointer(start: characters.utf8Start, count: characters.utf8CodeUnitCount).contains(byte)
    }
}
