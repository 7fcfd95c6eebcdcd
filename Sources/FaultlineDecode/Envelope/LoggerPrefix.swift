/// The prefix a logging library puts before a build tool's line when a build
/// service runs the tool and logs its output (`log-wrappers.md`): Python's
/// `logging` (`2024-05-01 10:00:00,123 - builder - ERROR - go: …` with its
/// default `%(asctime)s - %(name)s - %(levelname)s - %(message)s`, `basicConfig`'s
/// `ERROR:root:go: …`, or a bare `ERROR ` after the time), a bracketed level
/// (`[ERROR] `, Maven's `[INFO] npm ERR! …`), logfmt (`time="…" level=error
/// msg="go: …"`, as golangci-lint and old Kaniko print it; the message is
/// unescaped), logrus' text format (`INFO[2022-02-18T03:28:37Z] RUN …`,
/// Kaniko) and Tekton's `[task : step] `. What is left is the tool's text; the
/// level says how severe the service thought it was.
enum LoggerPrefix {
    /// A logger's level, as far as a build log's severity cares.
    enum Level: Equatable {
        case error, warning, other
    }

    /// A peeled prefix: where the tool's text starts, and the level the logger gave.
    struct Peeled: Equatable {
        var end: Int
        var level: Level
        /// logfmt's `msg="…"`: the text is the quoted value, unescaped.
        var message: [UInt8]?
    }

    static let levels: [(name: [UInt8], level: Level)] = {
        let named: [(String, Level)] = [
            ("ERROR", .error), ("CRITICAL", .error), ("FATAL", .error), ("WARNING", .warning), ("WARN", .warning),
            ("INFO", .other), ("DEBUG", .other), ("NOTICE", .other), ("TRACE", .other),
        ]
        return named.map { (Array($0.0.utf8), $0.1) }
    }()

    /// The logger prefix at `index` of `bytes`, if one is there. `afterTime` says a timestamp
    /// was just peeled (the `- name - LEVEL - ` and bare-level shapes are read only then).
    static func peel(_ bytes: [UInt8], at index: Int, afterTime: Bool) -> Peeled? {
        guard index < bytes.count else { return nil }
        if let logfmt = logfmt(bytes, at: index) { return logfmt }
        // Tekton's `[task : step] `, then whatever the step's tool printed.
        if bytes[index] == 0x5B, let close = bytes[index...].prefix(200).firstIndex(of: 0x5D),
           bytes[index..<close].firstRange(of: Array(" : ".utf8)) != nil, starts(bytes, at: close + 1, with: " ") {
            return peel(bytes, at: close + 2, afterTime: false) ?? Peeled(end: close + 2, level: .other)
        }
        // logrus' text format (Kaniko, Docker's daemon): `INFO[2022-02-18T03:28:37Z] text`, `ERRO[0003] text`.
        if let (level, after) = logrusLevel(bytes, at: index), after < bytes.count, bytes[after] == 0x5B,
           let close = bytes[after...].prefix(40).firstIndex(of: 0x5D) {
            var end = close + 1
            while end < bytes.count, bytes[end] == 0x20 { end += 1 }
            return Peeled(end: end, level: level)
        }
        // `[ERROR] text` (Maven, and many loggers), at the start or after the time.
        if bytes[index] == 0x5B, let (level, after) = level(bytes, at: index + 1), after < bytes.count, bytes[after] == 0x5D {
            return Peeled(end: min(bytes.count, after + (starts(bytes, at: after + 1, with: " ") ? 2 : 1)), level: level)
        }
        // `ERROR:root:text`: a level, a colon, a logger name, a colon.
        if let (level, after) = level(bytes, at: index), after < bytes.count, bytes[after] == 0x3A {
            var j = after + 1
            while j < bytes.count, isNameByte(bytes[j]) { j += 1 }
            if j > after + 1, j < bytes.count, bytes[j] == 0x3A { return Peeled(end: j + 1, level: level) }
        }
        guard afterTime else { return nil }
        // `- name - LEVEL - text`
        if bytes[index] == 0x2D, index + 1 < bytes.count, bytes[index + 1] == 0x20 {
            var j = index + 2
            while j < bytes.count, isNameByte(bytes[j]) { j += 1 }
            if j > index + 2, starts(bytes, at: j, with: " - "), let (level, after) = level(bytes, at: j + 3),
               starts(bytes, at: after, with: " - ") {
                return Peeled(end: after + 3, level: level)
            }
            return nil
        }
        // `LEVEL text` right after the time.
        if let (level, after) = level(bytes, at: index), starts(bytes, at: after, with: " ") {
            var end = after + 1
            if starts(bytes, at: end, with: "- ") { end += 2 }
            return Peeled(end: end, level: level)
        }
        return nil
    }

    /// `time="…" level=error msg="text"`: the message, unescaped, is the line.
    static func logfmt(_ bytes: [UInt8], at index: Int) -> Peeled? {
        guard starts(bytes, at: index, with: "time=") || starts(bytes, at: index, with: "level=") else { return nil }
        guard let levelAt = bytes[index...].firstRange(of: Array(" level=".utf8))?.lowerBound
                ?? (starts(bytes, at: index, with: "level=") ? index - 1 : nil),
              let msgAt = bytes[index...].firstRange(of: Array(" msg=\"".utf8))?.lowerBound else { return nil }
        var lowered = bytes[(levelAt + 7)...].prefix(while: { $0 != 0x20 }).map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        if lowered.first == 0x22 { lowered = lowered.filter { $0 != 0x22 } }
        let level = levels.first { $0.name == lowered }?.level ?? .other
        var message: [UInt8] = []
        var j = msgAt + 6
        while j < bytes.count, bytes[j] != 0x22 {
            if bytes[j] == 0x5C, j + 1 < bytes.count {
                j += 1
                message.append(bytes[j] == 0x6E ? 0x20 : bytes[j] == 0x74 ? 0x09 : bytes[j])
            } else {
                message.append(bytes[j])
            }
            j += 1
        }
        return Peeled(end: bytes.count, level: level, message: message)
    }

    static func level(_ bytes: [UInt8], at index: Int) -> (Level, Int)? {
        for candidate in levels where starts(bytes, at: index, with: candidate.name) {
            return (candidate.level, index + candidate.name.count)
        }
        return nil
    }

    static let logrusLevels: [(name: [UInt8], level: Level)] = {
        let named: [(String, Level)] = [("ERRO", .error), ("FATA", .error), ("PANI", .error), ("WARN", .warning),
                                        ("INFO", .other), ("DEBU", .other), ("TRAC", .other)]
        return named.map { (Array($0.0.utf8), $0.1) }
    }()

    static func logrusLevel(_ bytes: [UInt8], at index: Int) -> (Level, Int)? {
        for candidate in logrusLevels where starts(bytes, at: index, with: candidate.name) {
            return (candidate.level, index + candidate.name.count)
        }
        return nil
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x5F || b == 0x2D
    }

    static func starts(_ bytes: [UInt8], at index: Int, with text: StaticString) -> Bool {
        starts(bytes, at: index, with: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static func starts(_ bytes: [UInt8], at index: Int, with prefix: [UInt8]) -> Bool {
        prefix.withUnsafeBytes { starts(bytes, at: index, with: $0) }
    }

    static func starts(_ bytes: [UInt8], at index: Int, with prefix: UnsafeRawBufferPointer) -> Bool {
        guard index >= 0, index + prefix.count <= bytes.count else { return false }
        for k in 0..<prefix.count where bytes[index + k] != prefix[k] { return false }
        return true
    }
}
