/// The prefix npm writes on every line of its debug log
/// (`~/.npm/_logs/<time>-debug-0.log`): a sequence number and a level,
/// as in `23 error network request to … failed`, `16 http fetch GET 200 …`,
/// `19 verbose stack FetchError: …`. Lines of one multi-line message share
/// their number (`24 error network …` four times).
///
/// Peeling it leaves the text npm prints on the terminal after its own
/// `npm error ` / `npm ERR! ` prefix, so one rule pack reads both.
public enum NpmDebugLogPrefix {
    /// What the prefix said.
    public struct Peeled: Sendable, Equatable {
        /// npm's sequence number of the log call.
        public var sequence: Int
        /// `silly`, `verbose`, `http`, `timing`, `info`, `notice`, `warn` or `error`
        /// (npm 2–10); nil when the number is followed by another word.
        public var level: String?
    }

    /// The levels npm's debug log uses, from npm 2 to npm 10.
    public static let levels: Set<String> = ["silly", "verbose", "verb", "http", "timing", "info", "notice", "warn", "error"]

    /// Removes `N level ` (or just `N ` when the next word is not a level) from
    /// the start of the line's payload; nil, and the line unchanged, when the
    /// payload does not start with a sequence number and a space.
    public static func peel(_ line: inout UnwrappedLine) -> Peeled? {
        let utf8 = line.payload.utf8
        var index = utf8.startIndex
        var sequence = 0
        var digits = 0
        while index != utf8.endIndex, let digit = Self.digit(utf8[index]), digits < 12 {
            sequence = sequence * 10 + digit
            digits += 1
            index = utf8.index(after: index)
        }
        guard digits > 0, index != utf8.endIndex, utf8[index] == 0x20 else { return nil }
        index = utf8.index(after: index)
        let wordEnd = utf8[index...].firstIndex(of: 0x20) ?? utf8.endIndex
        let word = String(line.payload[index..<wordEnd])
        var level: String?
        if levels.contains(word) {
            level = word
            index = wordEnd == utf8.endIndex ? wordEnd : utf8.index(after: wordEnd)
        }
        line.payload = String(line.payload[index...])
        return Peeled(sequence: sequence, level: level)
    }

    @inline(__always)
    static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }
}
