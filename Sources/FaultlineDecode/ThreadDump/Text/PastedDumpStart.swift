/// Where a dump pasted without its `Full thread dump` header starts, and
/// what stands before it on the line: the first thread's header, the JVM's
/// deadlock section, a `jstack -F` thread, a Hazelcast test runner's bare
/// `"name" ` line or a javacore's tagged lines, after
/// Markdown indentation, a `>` quote or a logger's prefix. That prefix is
/// then expected on every line of the paste.
enum PastedDumpStart {
    /// The prefix length and the form, or nil when the line does not start a dump.
    static func find(_ line: UnsafeRawBufferPointer) -> (start: Int, form: ThreadDump.Form)? {
        var i = 0
        while i < line.count, i < 24, line[i] == 0x20 || line[i] == 0x09 || line[i] == 0x3E { i += 1 }
        let rest = ByteText.slice(line, i)
        guard let first = rest.first else { return nil }
        switch first {
        case 0x22: // "
            if isThreadHeader(rest) { return (i, .jstack) }
            if i == 0, HazelcastThreadLines.startsDump(rest) { return (0, .hazelcast) }
        case 0x23: // #
            if ThreadHeader.looksLikeDumpToFile(rest) { return (i, .threadDumpText) }
        case 0x46: // F
            if ByteText.hasPrefix(rest, "Found one Java-level deadlock:") { return (i, .jstack) }
        case 0x54: // T
            if OtherThreadHeaders.looksLikeSA(rest) { return (i, .jstack) }
        default:
            if ByteText.isDigit(first), JavacoreLines.startsDump(rest) { return (i, .javacore) }
        }
        // A logger's prefix before a thread header: `2024-05-01 10:00:00,123 INFO [stdout] "main" #1 prio=5 … tid=0x…`.
        guard ByteText.find(" tid=", in: rest) != nil || ByteText.find(" nid=", in: rest) != nil
                || ByteText.find(" Id=", in: rest) != nil || ByteText.find(" - Thread t@", in: rest) != nil else { return nil }
        var from = i
        while let quote = ByteText.firstIndex(of: 0x22, in: line, from: from), quote <= 200 {
            if quote > 0, line[quote - 1] == 0x20, isThreadHeader(ByteText.slice(line, quote)) { return (quote, .jstack) }
            from = quote + 1
        }
        return nil
    }

    /// A HotSpot, JRockit, VisualVM or `ThreadInfo.toString()` thread header.
    static func isThreadHeader(_ rest: UnsafeRawBufferPointer) -> Bool {
        ThreadHeader.looksLikeHotSpot(rest) || ByteText.find("\" - Thread t@", in: rest) != nil
            || ByteText.find("\" Id=", in: rest) != nil
            || (ByteText.find("\" prio=", in: rest) != nil && ByteText.find(" Id=", in: rest) != nil)
    }
}
