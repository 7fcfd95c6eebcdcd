/// Puts back together the lines of a dump that a mail client or an issue
/// tracker split: a frame, a lock line or a thread header wrapped onto a
/// second line (at a space, or hard at the column limit), and quoted-printable
/// text, whose soft line breaks end a line with `=` and whose `=` signs are
/// written `=3D` (`prio=3D5 tid=3D0x…`).
///
/// The fast path costs two byte tests a line: a line that cannot be the head
/// of a wrapped line (a frame or lock line that ends in `)` or `>`, a HotSpot
/// thread header that ends in its `[0x…]`, anything indented otherwise) is
/// handed on untouched. A possible head (a frame or lock line that does not
/// end as one does, another thread header) is held until
/// the next line shows whether it goes on: an unindented line that is not
/// itself dump grammar and fits the held line's grammar is joined to it.
struct LineRejoiner {
    /// What the parser does with the line it gave.
    enum Action {
        /// Read the line as it is.
        case pass
        /// The line is held, or joined to a held one: nothing to read yet.
        case held
        /// Read `joined` (from `takeJoined`) in place of the held line and this one.
        case joined
        /// Read the held line (from `takeJoined`) first, then give this line again.
        case flushThenRetry
    }

    private enum Kind {
        case frame, lock, header, softBreak
    }

    /// Whether the input was found to be quoted-printable: every later line is decoded.
    private(set) var quotedPrintable = false
    private var held: [UInt8] = []
    private var heldKind = Kind.frame
    private var heldNumber = 0
    private var heldOffset = 0

    var isHolding: Bool { !held.isEmpty }

    /// Whether `line` needs a look beyond the fast path: it may be the head of a wrapped line, or the
    /// input is quoted-printable.
    @inline(__always)
    func needsAttention(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let last = line.last else { return quotedPrintable || !held.isEmpty }
        if quotedPrintable || !held.isEmpty || last == 0x3D { return true }
        switch line[0] {
        case 0x22: return last != 0x5D  // a HotSpot header ends with its `[0x…]`: complete
        case 0x09, 0x20: return last != 0x29 && last != 0x3E && Self.frameOrLock(line) != nil
        default: return false
        }
    }

    /// Takes one line (without its `\n` and `\r`) that `needsAttention`.
    mutating func take(_ raw: UnsafeRawBufferPointer, number: Int, offset: Int) -> Action {
        var decoded: [UInt8] = []
        var line = raw
        var softBreak = false
        if !quotedPrintable, raw.last == 0x3D, Self.looksQuotedPrintable(raw) { quotedPrintable = true }
        if quotedPrintable {
            (decoded, softBreak) = Self.decodeQuotedPrintable(raw)
        }
        return decoded.withUnsafeBytes { buffer -> Action in
            if quotedPrintable { line = buffer }
            if !held.isEmpty {
                if heldKind == .softBreak {
                    held.append(contentsOf: line)
                    if softBreak { return .held }
                    return finishJoin()
                }
                guard let joint = continuation(line) else { return .flushThenRetry }
                if joint { held.append(0x20) }
                held.append(contentsOf: line)
                return finishJoin()
            }
            if softBreak {
                hold(line, kind: .softBreak, number: number, offset: offset)
                return .held
            }
            if let kind = Self.headKind(line) {
                hold(line, kind: kind, number: number, offset: offset)
                return .held
            }
            if quotedPrintable {
                held = Array(line)
                heldNumber = number
                heldOffset = offset
                return .joined
            }
            return .pass
        }
    }

    /// The line to read after `.joined` or `.flushThenRetry`, with the number and offset of its first part.
    mutating func takeJoined() -> (bytes: [UInt8], number: Int, offset: Int) {
        let out = (held, heldNumber, heldOffset)
        held = []
        return out
    }

    /// End of input: the held line, if any.
    mutating func flush() -> (bytes: [UInt8], number: Int, offset: Int)? {
        held.isEmpty ? nil : takeJoined()
    }

    private mutating func hold(_ line: UnsafeRawBufferPointer, kind: Kind, number: Int, offset: Int) {
        held = Array(line)
        heldKind = kind
        heldNumber = number
        heldOffset = offset
    }

    /// After a join: read it now, unless the joined line is still a head (wrapped more than once).
    private mutating func finishJoin() -> Action {
        let still = held.withUnsafeBytes { Self.headKind($0) }
        if let still, held.count < 4096 {
            heldKind = still
            return .held
        }
        return .joined
    }

    // MARK: Grammar

    /// A frame (`at …`) or lock (`- …`) line, or a bare `at` a wrap left alone: the index where its text starts.
    static func frameOrLock(_ line: UnsafeRawBufferPointer) -> Int? {
        let indent = ByteText.indent(line)
        guard indent > 0, indent + 2 <= line.count else { return nil }
        if ByteText.hasPrefix(line, "at ", at: indent) || ByteText.hasPrefix(line, "- ", at: indent) { return indent }
        if isBareAt(line, indent: indent) { return indent }
        return nil
    }

    /// `\tat` and nothing else (trailing spaces allowed): a mail client moved the frame to the next line.
    private static func isBareAt(_ line: UnsafeRawBufferPointer, indent: Int) -> Bool {
        guard ByteText.hasPrefix(line, "at", at: indent) else { return false }
        var i = indent + 2
        while i < line.count, line[i] == 0x20 { i += 1 }
        return i == line.count
    }

    /// Whether `line` may have been cut by a wrap: a frame or lock line that does not end as one
    /// does, or a thread header (which has no fixed ending).
    private static func headKind(_ line: UnsafeRawBufferPointer) -> Kind? {
        guard let last = line.last else { return nil }
        if line[0] == 0x22 { return last == 0x5D ? nil : .header }
        guard last != 0x29, last != 0x3E, let start = frameOrLock(line) else { return nil }
        if line[start] == 0x61 { return .frame }
        // `- None`, and `ThreadInfo.toString()`'s `- waiting on java.lang.Object@1b2c3d` end without a bracket.
        if ByteText.hasPrefix(line, "- None", at: start) || ByteText.find("@", in: ByteText.slice(line, start)) != nil { return nil }
        return .lock
    }

    /// Widths at which mail clients and trackers cut lines hard: a held line of exactly one of these
    /// lengths was cut, not wrapped at a space, so nothing goes between its parts.
    static let hardWidths: Set<Int> = [72, 76, 78, 80]

    /// Whether `line` goes on the held line: nil when it does not, else whether a space goes between.
    private func continuation(_ line: UnsafeRawBufferPointer) -> Bool? {
        guard let first = line.first, line.count <= 512 else { return nil }
        let hard = Self.hardWidths.contains(held.count)
        if first == 0x09 || first == 0x20 {
            // Indented: the dump's own next line, unless the held line was cut right before a space.
            guard hard else { return nil }
            let body = ByteText.slice(line, ByteText.indent(line))
            if body.isEmpty || ByteText.hasPrefix(body, "at ") || ByteText.hasPrefix(body, "- ") || ByteText.hasPrefix(body, "java.lang.Thread.State")
                || ByteText.hasPrefix(body, "Locked ownable") || ByteText.hasPrefix(body, "Carrying") || ByteText.hasPrefix(body, "Mounted") {
                return nil
            }
            return false
        }
        // Dump grammar of its own: headers, `Full thread dump`, the trailer.
        if first == 0x22 || first == 0x23 { return nil }
        if ByteText.hasPrefix(line, "Full thread dump") || ByteText.hasPrefix(line, "JNI global") || ByteText.hasPrefix(line, "Found ")
            || ByteText.hasPrefix(line, "java.lang.Thread.State") || ByteText.hasPrefix(line, "Locked ownable") {
            return nil
        }
        if held.last == 0x20 { return false }
        switch heldKind {
        case .frame:
            // A frame ends at its `)`; the only spaces in one follow a bare `at` and stand before `Method)`,
            // `Source)`, `Code)`, `frame)`.
            guard line.last == 0x29 || line.count < 120 else { return nil }
            if held.withUnsafeBytes({ Self.isBareAt($0, indent: ByteText.indent($0)) }) { return true }
            return ByteText.hasPrefix(line, "Method)") || ByteText.hasPrefix(line, "Source)") || ByteText.hasPrefix(line, "Code)")
                || ByteText.hasPrefix(line, "frame)")
        case .lock:
            guard line.last == 0x29 || line.last == 0x3E else { return nil }
            // A space stands before `<0x…>` and `(a …)` and after `(a`; elsewhere a cut at a hard width joins directly.
            let heldEndsWithArticle = held.count >= 2 && held[held.count - 2] == 0x28 && held[held.count - 1] == 0x61
            if first == 0x3C || first == 0x28 || heldEndsWithArticle { return true }
            return !hard
        case .header:
            let tokens: [StaticString] = ["tid=", "nid=", "prio=", "os_prio=", "cpu=", "elapsed=", "daemon", "[0x", "runnable", "waiting ",
                                          "sleeping", "in Object.wait", "Id=", "#"]
            let startsWithToken = tokens.contains { ByteText.hasPrefix(line, $0) }
            guard startsWithToken || line.last == 0x5D || ByteText.find(" nid=", in: line) != nil
                    || ByteText.find(" tid=", in: line) != nil else { return nil }
            // A token starts after a space; a cut at a hard width inside one joins directly.
            return startsWithToken || !hard
        case .softBreak:
            return false
        }
    }

    // MARK: Quoted-printable

    /// A soft line break (`=` at the end of a line of 60 to 76 bytes) in text that has `=3D`, `=20` or
    /// `=09` in it (a base64 line ending in `=` has none of them).
    private static func looksQuotedPrintable(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count >= 60, line.count <= 76 else { return false }
        return ByteText.find("=3D", in: line) != nil || ByteText.find("=20", in: line) != nil
            || ByteText.find("=09", in: line) != nil
    }

    /// `=XX` as the byte, and whether the line ends in a soft break.
    static func decodeQuotedPrintable(_ line: UnsafeRawBufferPointer) -> (bytes: [UInt8], softBreak: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var end = line.count
        while end > 0, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let softBreak = end > 0 && line[end - 1] == 0x3D
        if softBreak { end -= 1 } else { end = line.count }
        var i = 0
        while i < end {
            let b = line[i]
            if b == 0x3D, i + 2 < end, let high = hexValue(line[i + 1]), let low = hexValue(line[i + 2]) {
                out.append(high << 4 | low)
                i += 3
                continue
            }
            out.append(b)
            i += 1
        }
        return (out, softBreak)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
