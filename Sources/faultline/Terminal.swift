import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// Writes bytes to standard error unbuffered.
func fwriteStderr(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    return write(2, base, bytes.count)
}

/// Writes a string to standard output.
func writeStdout(_ text: String) {
    var copy = text
    copy.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(1, bytes.baseAddress! + offset, bytes.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}

/// Writes a string to standard error.
func writeStderr(_ text: String) {
    var copy = text
    copy.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let n = write(2, base + offset, bytes.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}

/// Writes `text` to a new or truncated file; the reason when it could not.
func writeFile(_ path: String, _ text: String) -> String? {
    TextFile.write(text, to: path)
}

/// Facts about the terminal that decide colour and progress.
enum Terminal {
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Colour on standard output (or `descriptor`): only on a terminal, never with `NO_COLOR` set (https://no-color.org).
    static func wantsColour(_ choice: ColourChoice, descriptor: Int32 = 1) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
            if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
            return isTTY(descriptor)
        }
    }
}
