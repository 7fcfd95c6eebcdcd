import FaultlineCore

/// Peels the wrappers a build line arrives in — ANSI colour, terminal carriage
/// returns, GitHub Actions and GitLab runner timestamps and markers, a logging
/// library's prefix (`LoggerPrefix`), BuildKit `#N` prefixes — leaving the
/// tool's own text (see `log-wrappers.md`).
///
/// It keeps a little state: whether the current line is inside BuildKit's
/// `------` error excerpt, which repeats lines already seen.
public struct EnvelopeParser {
    private var inExcerpt = false

    public init() {}

    public mutating func unwrap(_ raw: UnsafeRawBufferPointer) -> UnwrappedLine {
        var bytes = Self.stripANSI(raw)
        var wrappers: [String] = []
        var ciTime: Double?
        var marker: UnwrappedLine.CIMarker?

        // GitLab section markers sit before a carriage return: read them first.
        if let found = Self.find(Array("section_start:".utf8), in: bytes) {
            let rest = bytes[(found + 14)...]
            let fields = rest.split(separator: 0x3A, maxSplits: 1, omittingEmptySubsequences: false)
            if fields.count == 2, let ts = Double(String(decoding: fields[0], as: UTF8.self)) {
                ciTime = ts
                let nameEnd = fields[1].firstIndex(where: { $0 == 0x0D || $0 == 0x20 || $0 == 0x5B }) ?? fields[1].endIndex
                marker = .groupStart(String(decoding: fields[1][..<nameEnd], as: UTF8.self))
                wrappers.append("gitlab-ci")
            }
        } else if Self.find(Array("section_end:".utf8), in: bytes) != nil {
            marker = .groupEnd
            wrappers.append("gitlab-ci")
        }
        bytes = Self.collapseCarriageReturns(bytes)

        var index = 0
        // Jenkins' timestamper and CodeQL put the time in brackets: `[2023-04-01T10:00:00.123Z] `.
        let bracketed = bytes.first == 0x5B
        let parsed = bytes.withUnsafeBytes { raw in
            Timestamp.parseRFC3339(bracketed ? UnsafeRawBufferPointer(rebasing: raw.dropFirst()) : raw)
        }.map { bracketed ? (seconds: $0.seconds, length: $0.length + 2) : $0 }
        if let parsed, parsed.length < bytes.count, bytes[parsed.length] == 0x20,
           !bracketed || bytes[parsed.length - 1] == 0x5D {
            ciTime = parsed.seconds
            index = parsed.length + 1
            wrappers.append(bracketed ? "bracketed-timestamp" : "timestamp")
            // GitLab FF_TIMESTAMPS: `00O ` / `01E+ ` after the time.
            if index + 4 <= bytes.count, Self.isDigit(bytes[index]), Self.isDigit(bytes[index + 1]),
               bytes[index + 2] == 0x4F || bytes[index + 2] == 0x45 {
                var j = index + 3
                if j < bytes.count, bytes[j] == 0x2B { j += 1 }
                if j < bytes.count, bytes[j] == 0x20 { index = j + 1 }
            }
        }
        // A logging library's prefix (Python's `logging`, logfmt): `- builder - ERROR - `, `ERROR:root:`.
        // The bare-level shapes only after a Python-style time (a space, not `T`, between date and time).
        var loggedSeverity: Severity?
        let spacedTime = index > 10 && bytes[bracketed ? 11 : 10] == 0x20
        if let peeled = LoggerPrefix.peel(bytes, at: index, afterTime: spacedTime) {
            switch peeled.level {
            case .error: loggedSeverity = .error
            case .warning: loggedSeverity = .warning
            case .other: loggedSeverity = .info
            }
            wrappers.append("logger")
            if let message = peeled.message {
                bytes = message
                index = 0
            } else {
                index = peeled.end
            }
        }
        if index + 3 <= bytes.count, bytes[index] == 0x23, bytes[index + 1] == 0x23, bytes[index + 2] == 0x5B {
            // GitHub Actions workflow command: ##[group]…, ##[endgroup], ##[error]…
            if let close = bytes[index...].firstIndex(of: 0x5D) {
                let command = String(decoding: bytes[(index + 3)..<close], as: UTF8.self)
                let text = close + 1
                switch command {
                case "group": marker = .groupStart(String(decoding: bytes[text...], as: UTF8.self))
                case "endgroup": marker = .groupEnd
                case "error": marker = .error
                case "warning": marker = .warning
                default: break
                }
                wrappers.append("github-actions")
                index = text
            }
        }

        var vertex: Int?
        var elapsed: Double?
        var excerpt = false
        // BuildKit: `#N rest`, then maybe `12.345 ` seconds.
        if index + 2 < bytes.count, bytes[index] == 0x23, Self.isDigit(bytes[index + 1]) {
            var j = index + 1
            var number = 0
            while j < bytes.count, Self.isDigit(bytes[j]), number < 1_000_000 {
                number = number * 10 + Int(bytes[j] - 0x30)
                j += 1
            }
            if j == bytes.count || bytes[j] == 0x20 {
                vertex = number
                wrappers.append("buildkit")
                index = min(j + 1, bytes.count)
                inExcerpt = false
                if let (seconds, length) = Self.parseElapsed(bytes, at: index) {
                    elapsed = seconds
                    index += length
                }
            }
        } else {
            // BuildKit's error summary: `------`, ` > [stage 4/7] RUN …:`, `12.34 go: …`, `------`.
            // The header opens it; its lines carry a bare elapsed prefix; anything else closes it.
            let line = bytes[index...]
            if line.starts(with: Array(" > [".utf8)) {
                inExcerpt = true
                excerpt = true
            } else if inExcerpt, let (seconds, length) = Self.parseElapsed(bytes, at: index) {
                excerpt = true
                elapsed = seconds
                index += length
            } else {
                inExcerpt = false
            }
        }
        let payload = String(decoding: bytes[min(index, bytes.count)...], as: UTF8.self)
        return UnwrappedLine(payload: payload, ciTime: ciTime, ciMarker: marker, vertex: vertex,
                             elapsed: elapsed, isExcerpt: excerpt, wrappers: wrappers, loggedSeverity: loggedSeverity)
    }

    /// `12.345 ` at `index`: seconds and the bytes it took, space included.
    static func parseElapsed(_ bytes: [UInt8], at index: Int) -> (Double, Int)? {
        var j = index
        while j < bytes.count, isDigit(bytes[j]) { j += 1 }
        guard j > index, j < bytes.count, bytes[j] == 0x2E else { return nil }
        j += 1
        let fractionStart = j
        while j < bytes.count, isDigit(bytes[j]) { j += 1 }
        guard j > fractionStart, j == bytes.count || bytes[j] == 0x20 else { return nil }
        guard let seconds = Double(String(decoding: bytes[index..<j], as: UTF8.self)) else { return nil }
        return (seconds, min(j + 1, bytes.count) - index)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// What an OSC sequence (`ESC ] N ; payload`) leaves in the text: `[OSC N removed]` when it
    /// carried a payload (a clipboard write, a title, a link target: not text the log showed), else nothing.
    static func oscMark(_ body: UnsafeRawBufferPointer) -> [UInt8] {
        let number = body.prefix(while: { $0 >= 0x30 && $0 <= 0x39 })
        let payload = body.dropFirst(number.count)
        guard payload.contains(where: { $0 != 0x3B }) || (number.isEmpty && !body.isEmpty) else { return [] }
        return Array("[OSC \(String(decoding: number.prefix(4), as: UTF8.self)) removed]".utf8)
    }

    /// Removes ANSI escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ESC \`, marked as
    /// removed when it carried a payload, see `oscMark`) and two-byte escapes.
    static func stripANSI(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        guard raw.contains(0x1B) else { return Array(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == 0x1B, i + 1 < raw.count else {
                if b != 0x1B { out.append(b) }
                i += 1
                continue
            }
            let kind = raw[i + 1]
            i += 2
            if kind == 0x5B {
                while i < raw.count, !(0x40...0x7E).contains(raw[i]) { i += 1 }
                i += 1
            } else if kind == 0x5D {
                let start = i
                while i < raw.count, raw[i] != 0x07, !(raw[i] == 0x1B && i + 1 < raw.count && raw[i + 1] == 0x5C) { i += 1 }
                out += oscMark(UnsafeRawBufferPointer(rebasing: raw[start..<min(i, raw.count)]))
                i += raw.indices.contains(i) && raw[i] == 0x1B ? 2 : 1
            }
        }
        return out
    }

    /// What a terminal shows — the text after the last carriage return — first, then every
    /// segment written before it and overwritten, in the order written, each after a CR (which
    /// reports show escaped): an error a progress bar (or an attacker) wrote over is still
    /// evidence, and what the line starts with is still what was seen. Empty segments, GitLab's
    /// section markers (already read), Travis' fold and time markers and trailing CRs (CRLF line
    /// ends) are dropped.
    /// CI runners' markers written before a carriage return, which a terminal never shows.
    static let runnerMarkers = ["section_start:", "section_end:", "travis_fold:", "travis_time:"].map { Array($0.utf8) }

    static func collapseCarriageReturns(_ bytes: [UInt8]) -> [UInt8] {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0D { end -= 1 }
        guard bytes[..<end].contains(0x0D) else {
            return end == bytes.count ? bytes : Array(bytes[..<end])
        }
        let segments = bytes[..<end].split(separator: 0x0D).filter { segment in
            segment.contains(where: { $0 != 0x20 && $0 != 0x09 }) && !runnerMarkers.contains { segment.starts(with: $0) }
        }
        guard let shown = segments.last else { return [] }
        var out = Array(shown)
        out.reserveCapacity(end)
        for segment in segments.dropLast() {
            out.append(0x0D)
            out += segment
        }
        return out
    }
}
