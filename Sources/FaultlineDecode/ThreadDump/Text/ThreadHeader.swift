/// Parses a thread's header line, in the HotSpot form (JDK 5 to 25):
///
///     "name" [#id] [[os-tid]] [daemon] [prio=n] os_prio=n [cpu=…ms] [elapsed=…s]
///            [allocated=…] [defined_classes=…] tid=0x… [nid=…] [lwp_id=…] [state words] [[0x…]]
///
/// and in the `Thread.dump_to_file` text form (JDK 21+): `#id "name" [virtual] [STATE] [instant]`.
///
/// The name may itself hold quotes, `#` and brackets, so the header is read
/// from the right: the name ends at the last quote before ` tid=`.
enum ThreadHeader {
    /// Whether `line` (prefix removed) can only be a HotSpot thread header.
    static func looksLikeHotSpot(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.first == 0x22 else { return false }
        if ByteText.find(" tid=", in: line) != nil || ByteText.find(" nid=", in: line) != nil { return true }
        // A header shortened by hand: `"pool-1-thread-1" #21 prio=5 cpu=216.66ms elapsed=112.83s`.
        return ByteText.find("\" #", in: line) != nil && ByteText.find(" prio=", in: line) != nil && ByteText.find(" Id=", in: line) == nil
    }

    /// Whether `line` is a `Thread.dump_to_file` thread line: `#<digits> "…"`.
    static func looksLikeDumpToFile(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 4, line[0] == 0x23, let number = ByteText.decimal(line, at: 1) else { return false }
        return number.end + 1 < line.count && line[number.end] == 0x20 && line[number.end + 1] == 0x22
            && ByteText.lastIndex(of: 0x22, in: line).map { $0 > number.end + 1 } == true
    }

    /// Fills a thread from a HotSpot header; nil when the line is not one.
    static func parseHotSpot(_ line: UnsafeRawBufferPointer, number: Int, offset: Int,
                             words: inout StringInterner) -> (JavaThread, validUTF8: Bool)? {
        guard line.first == 0x22 else { return nil }
        var anchor = ByteText.findLast(" tid=", in: line) ?? ByteText.findLast(" nid=", in: line)
        if anchor != nil, ByteText.find("\" owned by \"", in: line) != nil {
            // Geode's dumper: `"pool-8-thread-2" tid=0x16 owned by "pool-8-thread-1" tid=0x15`.
            anchor = ByteText.find(" tid=", in: line)
        }
        var nameEnd: Int?
        if let anchor {
            nameEnd = ByteText.lastIndex(of: 0x22, in: line, before: anchor)
        } else if let hash = ByteText.find("\" #", in: line), ByteText.find(" prio=", in: line) != nil {
            nameEnd = hash
            anchor = line.count
        }
        guard let anchor, let nameEnd, nameEnd >= 1 else { return nil }
        let nameBytes = ByteText.slice(line, 1, nameEnd)
        var thread = JavaThread(name: ByteText.name(nameBytes), line: number, byteOffset: offset)
        let valid = ByteText.isValidUTF8(nameBytes)
        // Fields between the name and tid=.
        var i = nameEnd + 1
        while i < anchor {
            while i < anchor, line[i] == 0x20 { i += 1 }
            var end = i
            while end < anchor, line[end] != 0x20 { end += 1 }
            let token = ByteText.slice(line, i, end)
            field(token, into: &thread)
            i = end
        }
        // tid=, nid=, lwp_id=, then the OS-state words up to a bracket.
        i = anchor + 1
        var wordsStart: Int?
        while i < line.count {
            while i < line.count, line[i] == 0x20 { i += 1 }
            guard i < line.count else { break }
            if line[i] == 0x5B { break }  // [0x…] stack range
            var end = i
            while end < line.count, line[end] != 0x20 { end += 1 }
            let token = ByteText.slice(line, i, end)
            if ByteText.hasPrefix(token, "tid=") {
                thread.tid = ByteText.hex(token, at: 4).map(\.value)
            } else if ByteText.hasPrefix(token, "nid=") {
                let value = ByteText.slice(token, 4)
                if ByteText.hasPrefix(value, "0x") {
                    thread.nid = ByteText.hex(value, at: 0).map(\.value)
                } else if let decimal = ByteText.decimal(value, at: 0) {
                    thread.nid = UInt64(decimal.value)
                    if thread.osThreadID == nil { thread.osThreadID = decimal.value }
                }
            } else if ByteText.hasPrefix(token, "lwp_id=") {
                // HP-UX light-weight process id: informational.
            } else {
                wordsStart = i
                break
            }
            i = end
        }
        if let start = wordsStart {
            var end = ByteText.firstIndex(of: 0x5B, in: line, from: start) ?? line.count
            while end > start, ByteText.isSpace(line[end - 1]) { end -= 1 }
            if end > start { thread.osState = words.intern(ByteText.slice(line, start, end)) }
        }
        return (thread, valid)
    }

    private static func field(_ token: UnsafeRawBufferPointer, into thread: inout JavaThread) {
        guard let first = token.first else { return }
        switch first {
        case UInt8(ascii: "#"):
            thread.javaID = ByteText.decimal(token, at: 1)?.value
        case UInt8(ascii: "["):
            thread.osThreadID = ByteText.decimal(token, at: 1)?.value
        case UInt8(ascii: "d"):
            if ByteText.hasPrefix(token, "daemon") { thread.isDaemon = true }
        case UInt8(ascii: "p"):
            if ByteText.hasPrefix(token, "prio=") { thread.priority = ByteText.decimal(token, at: 5)?.value }
        case UInt8(ascii: "c"):
            if ByteText.hasPrefix(token, "cpu=") { thread.cpuMilliseconds = ByteText.double(token, at: 4)?.value }
        case UInt8(ascii: "e"):
            if ByteText.hasPrefix(token, "elapsed=") { thread.elapsedSeconds = ByteText.double(token, at: 8)?.value }
        default:
            break
        }
    }

    /// Fills a thread from a `Thread.dump_to_file` text line `#21 "mon-A" [virtual] BLOCKED 2026-…Z`.
    static func parseDumpToFile(_ line: UnsafeRawBufferPointer, number: Int, offset: Int) -> (JavaThread, validUTF8: Bool)? {
        guard let id = ByteText.decimal(line, at: 1), let nameEnd = ByteText.lastIndex(of: 0x22, in: line),
              nameEnd > id.end + 1 else { return nil }
        let nameBytes = ByteText.slice(line, id.end + 2, nameEnd)
        var thread = JavaThread(name: ByteText.name(nameBytes), line: number, byteOffset: offset)
        thread.javaID = id.value
        var i = nameEnd + 1
        while i < line.count {
            while i < line.count, line[i] == 0x20 { i += 1 }
            var end = i
            while end < line.count, line[end] != 0x20 { end += 1 }
            let token = ByteText.slice(line, i, end)
            if ByteText.hasPrefix(token, "virtual") {
                thread.isVirtual = true
            } else if let state = ThreadState.parse(token), token.count == state.rawValue.utf8.count {
                thread.state = state
            }
            i = end
        }
        return (thread, ByteText.isValidUTF8(nameBytes))
    }
}
