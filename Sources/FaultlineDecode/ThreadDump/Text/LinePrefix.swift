import FaultlineCore

/// What a log wrapper puts before every line of a dump printed by `kill -3`
/// into an application's output: a container runtime's
/// `2026-11-26T04:10:00.123456789Z stdout F `, journald's
/// `Nov 28 13:22:05 host app[2701]: `, a service wrapper's `INFO | jvm 1 | …| `.
///
/// It is learnt from the `Full thread dump` line (everything before those
/// words) as a shape: runs of digits match any run of digits, every other
/// byte must be equal. Lines of the dump are matched against the shape and
/// stripped; a line that does not match came from somewhere else (another
/// stream, another process) and is not part of the dump.
struct LinePrefix: Sendable {
    private enum Token: Sendable {
        case digits
        case byte(UInt8)
    }

    private let tokens: [Token]
    /// The prefix as first seen, for reports.
    let example: String
    /// Whether the prefix starts with an RFC 3339 time (a container runtime's stamp).
    let startsWithTimestamp: Bool

    init?(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return nil }
        var tokens: [Token] = []
        // An RFC 3339 time is one token: its fraction varies in length and may be absent
        // (RFC3339Nano drops trailing zeros, and the whole fraction when it is zero).
        let stamp = Timestamp.parseRFC3339(bytes)
        var i = stamp?.length ?? 0
        while i < bytes.count {
            if ByteText.isDigit(bytes[i]) {
                while i < bytes.count, ByteText.isDigit(bytes[i]) { i += 1 }
                tokens.append(.digits)
            } else {
                tokens.append(.byte(bytes[i]))
                i += 1
            }
        }
        self.tokens = tokens
        example = ByteText.string(bytes)
        startsWithTimestamp = stamp != nil
    }

    /// The prefix's length in `line`, or nil when the line does not carry it.
    func match(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        if startsWithTimestamp {
            guard let stamp = Timestamp.parseRFC3339(line) else { return nil }
            i = stamp.length
        }
        for (position, token) in tokens.enumerated() {
            // An empty line may lose the prefix's trailing blanks (`… stdout F` for `… stdout F `).
            if i == line.count, tokens[position...].allSatisfy({ if case .byte(0x20) = $0 { true } else { false } }) {
                return i
            }
            switch token {
            case .digits:
                let start = i
                while i < line.count, ByteText.isDigit(line[i]) { i += 1 }
                if i == start { return nil }
            case .byte(let b):
                guard i < line.count, line[i] == b else { return nil }
                i += 1
            }
        }
        return i
    }

    /// The RFC 3339 time a prefixed line starts with, if the prefix has one.
    func time(of line: UnsafeRawBufferPointer) -> Double? {
        guard startsWithTimestamp else { return nil }
        return Timestamp.parseRFC3339(line)?.seconds
    }
}
