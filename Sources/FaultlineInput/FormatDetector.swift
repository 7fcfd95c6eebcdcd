#if canImport(Glibc)
import Glibc
#endif

/// Detects an input's format from its first bytes, the way libpcap picks a
/// reader from the magic number: captures by magic, binary junk by its control
/// bytes, text logs by the shapes of their first lines.
public enum FormatDetector {
    /// How many leading bytes detection looks at.
    public static let sampleSize = 64 * 1024

    public static func detect(_ head: UnsafeRawBufferPointer) -> InputFormat {
        if head.isEmpty { return InputFormat(name: "empty") }
        if head.count >= 4 {
            let magic = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
            switch magic {
            case 0xd4c3_b2a1, 0xa1b2_c3d4, 0x4d3c_b2a1, 0xa1b2_3c4d: return InputFormat(name: "pcap")
            case 0x0a0d_0d0a: return InputFormat(name: "pcapng")
            default: break
            }
        }
        let sample = UnsafeRawBufferPointer(rebasing: head.prefix(sampleSize))
        if isBinary(sample) { return InputFormat(name: "binary") }
        var scores = Scores()
        var lineStart = 0
        var lines = 0
        while lineStart < sample.count, lines < 4000 {
            var end = lineStart
            while end < sample.count, sample[end] != 0x0A { end += 1 }
            scores.look(at: UnsafeRawBufferPointer(rebasing: sample[lineStart..<end]))
            lines += 1
            lineStart = end + 1
        }
        let significant = sample.lazy.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        var firstByte = significant.first
        // `[2023-04-01 10:00:00] …`, `[INFO] …`: bracketed log prefixes, not a JSON array.
        if firstByte == UInt8(ascii: "["), let second = significant.dropFirst().first,
           !"{[\"]-0123456789tfn".utf8.contains(second) || Self.startsWithBracketedWord(sample) {
            firstByte = nil
        }
        return scores.verdict(firstByte: firstByte)
    }

    /// More than 10% of the sample is not text: control bytes other than tab, CR, LF, ESC,
    /// form feed and backspace (progress bars of webpack, npm spinners and Gradle-style consoles
    /// redraw with them) — NUL included — and bytes that are not part of valid UTF-8. A log with
    /// a few stray NULs (a crashed writer, a pre-allocated file) is still text and still analysed.
    static func isBinary(_ sample: UnsafeRawBufferPointer) -> Bool {
        var other = 0
        var i = 0
        let count = sample.count
        while i < count {
            let byte = sample[i]
            if byte < 0x80 {
                if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != 0x1B, byte != 0x0C, byte != 0x08 { other += 1 }
                i += 1
                continue
            }
            let length = byte >= 0xC2 && byte <= 0xDF ? 2 : byte >= 0xE0 && byte <= 0xEF ? 3 : byte >= 0xF0 && byte <= 0xF4 ? 4 : 0
            var valid = length > 0
            var j = 1
            while valid, j < length {
                // A sequence cut by the end of the sample counts as text.
                if i + j >= count { break }
                if sample[i + j] & 0xC0 != 0x80 { valid = false }
                j += 1
            }
            if valid {
                i += length
            } else {
                other += 1
                i += 1
            }
        }
        return other * 10 > count
    }

    /// `[2023-04-01T…`, `[INFO]`, `[build-stderr]`: a bracket, then a word or a date, then `]` or a
    /// date's punctuation before any comma — a log prefix, where a JSON array would have a comma or a quote.
    static func startsWithBracketedWord(_ sample: UnsafeRawBufferPointer) -> Bool {
        guard let open = sample.firstIndex(of: UInt8(ascii: "[")) else { return false }
        var index = open + 1
        var sawDateMark = false
        while index < sample.count, index < open + 40 {
            let byte = sample[index]
            if byte == UInt8(ascii: "]") { return index > open + 1 }
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A { return false }
            if byte == UInt8(ascii: ":") || byte == UInt8(ascii: "T") || byte == UInt8(ascii: " ") { sawDateMark = true }
            index += 1
        }
        return sawDateMark
    }

    private struct Scores {
        var githubTimestamps = 0
        var gitlab = 0
        var buildkit = 0
        var legacy = 0
        var go = 0
        var npm = 0
        var npmDebug = 0
        var yarn = 0
        var jstack = 0
        /// `Full thread dump` lines (anywhere in the line: kill -3 output may carry a prefix), a javacore's
        /// `3XMTHREADINFO` and JRockit's `===== FULL THREAD DUMP`, and a JSON `"threadDump"` key.
        var threadDumpHeaders = 0
        var threadDumpJSON = false
        var lines = 0

        mutating func look(at rawLine: UnsafeRawBufferPointer) {
            lines += 1
            let raw = UnsafeRawBufferPointer(rebasing: rawLine.prefix(400))
            var line = Substring(decoding: raw, as: UTF8.self)
            // `Substring.contains` compares characters and costs microseconds; an ASCII needle can be in the
            // line only if its bytes are in the raw bytes (decoding repairs never make ASCII), so a byte search
            // (`memchr`, `memcmp`) answers the common "no" and the character comparison still decides a "yes".
            func has(_ needle: String) -> Bool {
                var needle = needle
                let inBytes = needle.withUTF8 { Self.bytes(raw, contain: $0) }
                return inBytes && line.contains(needle)
            }
            if has("Full thread dump "), line.last(where: { $0 != " " && $0 != "\r" }) == ":" { threadDumpHeaders += 1 }
            if has("\"threadDump\"") { threadDumpJSON = true }
            if has("section_start:") || line.hasPrefix("Running with gitlab-runner") { gitlab += 1 }
            if Self.hasRFC3339Prefix(line) {
                githubTimestamps += 1
                if let space = line.firstIndex(of: " ") { line = line[line.index(after: space)...] }
            }
            line = line.drop(while: { $0 == "\u{1B}" || $0 == " " })
            if line.hasPrefix("#"), let next = line.dropFirst().first, next.isNumber {
                // `#21 "name" …` is a thread of `jcmd Thread.dump_to_file`, not a BuildKit vertex.
                if line.drop(while: { $0 != " " }).hasPrefix(" \"") { jstack += 1 } else { buildkit += 1 }
            }
            if line.hasPrefix("Step "), has(" : ") { legacy += 1 }
            if line.hasPrefix(" ---> ") { legacy += 1 }
            if has("go: ") || line.hasPrefix("# get ") || has(".go:") || has("go.mod") { go += 1 }
            if has("npm ERR!") || has("npm error ") || has("npm WARN") || has("npm warn ") { npm += 1 }
            // npm's summary, all a successful install may print: `added 1 package, and audited 2 packages in 443ms`.
            if has("added ") || has("audited "), has(" package") { npm += 1 }
            // yarn 1: `yarn install v1.22.19`, `[1/4] Resolving packages...`, `error An unexpected error
            // occurred: "…"`; its yarn-error.log: `Yarn version: ` then the version on the next line.
            if (line.hasPrefix("yarn ") && has(" v1.")) || line.hasPrefix("[1/4] Resolving packages")
                || line.hasPrefix("error An unexpected error occurred: ") || line.hasPrefix("Yarn version:") { yarn += 1 }
            if let first = line.first, first.isNumber,
               has(" verbose ") || has(" timing ") || has(" silly ") || has(" http fetch ") {
                npmDebug += 1
            }
            if line.hasPrefix("Full thread dump") || (line.hasPrefix("\"") && has(" nid=")) { jstack += 1 }
            // Other dump formats and partial pastes, after Markdown indentation or a `>` quote (a state line
            // alone: Hazelcast's test runners print a header that is only the quoted name).
            let pasted = line.drop(while: { $0 == ">" || $0 == " " || $0 == "\t" })
            if pasted.hasPrefix("3XMTHREADINFO") || pasted.hasPrefix("1LKDEADLOCK") || pasted.hasPrefix("0SECTION       THREADS")
                || pasted.hasPrefix("===== FULL THREAD DUMP") {
                threadDumpHeaders += 1
            } else if pasted.hasPrefix("\"") {
                if has(" nid=") || has(" tid=") || has("\" - Thread t@") || has("\" Id=") || (has("\" #") && has(" prio=")) { jstack += 1 }
            } else if pasted.hasPrefix("Found one Java-level deadlock:") || (pasted.hasPrefix("Thread ") && has(": (state = "))
                        || pasted.hasPrefix("Debugger attached successfully") || pasted.hasPrefix("java.lang.Thread.State: ") {
                jstack += 1
            }
        }

        /// Whether `needle` occurs in `haystack`, byte for byte.
        static func bytes(_ haystack: UnsafeRawBufferPointer, contain needle: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let first = needle.first, let needleBase = needle.baseAddress else { return true }
            guard haystack.count >= needle.count, let base = haystack.baseAddress else { return false }
            let last = haystack.count - needle.count
            var offset = 0
            while offset <= last {
                guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + at, needleBase, needle.count) == 0 { return true }
                offset = at + 1
            }
            return false
        }

        static func hasRFC3339Prefix(_ line: Substring) -> Bool {
            let bytes = Array(line.utf8.prefix(20))
            guard bytes.count >= 20 else { return false }
            func digit(_ i: Int) -> Bool { bytes[i] >= 0x30 && bytes[i] <= 0x39 }
            return digit(0) && digit(1) && digit(2) && digit(3) && bytes[4] == 0x2D && digit(5) && digit(6)
                && bytes[7] == 0x2D && digit(8) && digit(9) && bytes[10] == 0x54 && digit(11) && digit(12)
                && bytes[13] == 0x3A && digit(14) && digit(15) && bytes[16] == 0x3A && digit(17) && digit(18)
        }

        func verdict(firstByte: UInt8?) -> InputFormat {
            var contains: [String] = []
            if buildkit >= 2 || legacy >= 2 { contains.append("docker") }
            if go > 0 { contains.append("go") }
            if npm > 0 || npmDebug > 0 { contains.append("npm") }
            if yarn > 0 { contains.append("yarn") }
            if jstack > 0 { contains.append("jvm") }
            if threadDumpJSON, firstByte == UInt8(ascii: "{") { return InputFormat(name: "jstack-json") }
            if threadDumpHeaders > 0 { return InputFormat(name: "jstack", contains: contains.filter { $0 != "jvm" }) }
            if gitlab > 0 { return InputFormat(name: "gitlab-ci", contains: contains) }
            if githubTimestamps * 2 >= lines, githubTimestamps > 0 { return InputFormat(name: "github-actions", contains: contains) }
            if jstack > 0 { return InputFormat(name: "jstack", contains: contains.filter { $0 != "jvm" }) }
            if buildkit >= 2 { return InputFormat(name: "buildkit", contains: contains.filter { $0 != "docker" }) }
            if legacy >= 2 { return InputFormat(name: "docker-legacy", contains: contains.filter { $0 != "docker" }) }
            if npmDebug * 2 >= lines, npmDebug > 0 { return InputFormat(name: "npm-debug-log") }
            if npm > 0 { return InputFormat(name: "npm-log", contains: contains.filter { $0 != "npm" }) }
            if yarn > 0 { return InputFormat(name: "yarn-log", contains: contains.filter { $0 != "yarn" }) }
            if go > 0 { return InputFormat(name: "go-log", contains: contains.filter { $0 != "go" }) }
            if firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[") { return InputFormat(name: "json") }
            return InputFormat(name: "text")
        }
    }
}
