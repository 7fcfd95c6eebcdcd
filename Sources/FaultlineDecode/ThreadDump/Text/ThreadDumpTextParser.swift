import FaultlineCore

/// Reads the text forms of HotSpot thread dumps line by line — `jstack`
/// (`-l`, `-e`), `jcmd Thread.print`, `kill -3` output between an
/// application's own log lines (with a per-line prefix learnt from the
/// `Full thread dump` line), several dumps per input, JDK 5 to 25, and the
/// `jcmd Thread.dump_to_file` text form — and hands out each dump when it
/// ends. Only one dump is held at a time.
///
/// A dump ends at the next `Full thread dump`, at the first foreign line after
/// its trailer (`JNI global refs`, the JVM's deadlock section, the `Heap`
/// summary), after a long run of lines that are not thread-dump grammar, or
/// at the end of the input. Application lines around and between the dumps are
/// kept as `AppLine`s when they hold an anchor (`AppLinePrefilter`).
struct ThreadDumpTextParser: LineSink {
    /// An application line beside (or inside) a dump that the prefilter found worth keeping.
    struct AppLine: Sendable {
        var number: Int
        var offset: Int
        var text: String
        /// An RFC 3339 time the line starts with (a container runtime's or the application's).
        var time: Double?
    }

    private enum Section {
        case threads, ownable, smr, trailer, deadlock, deadlockStacks, heap, jrockitChains
    }

    /// The local `YYYY-MM-DD HH:MM:SS` line seen last, and the bytes before it on its line.
    private struct Stamp {
        var line: Int
        var local: Double
        var written: String
        var prefix: [UInt8]
    }

    let inputPath: String
    let timeZone: DumpTimeZone
    /// Longest text kept on an application line.
    var maxTextLength = 4096
    /// How many consecutive non-grammar lines end a dump that has no trailer.
    var foreignRunLimit = 64

    private(set) var frames = FrameTable()
    /// Dumps completed since the caller last took them, each with the host hints read up to its end.
    var completed: [(dump: ThreadDump, hints: HostHints)] = []
    /// Application lines holding an anchor, since the caller last took them.
    var appLines: [AppLine] = []
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var hints = HostHints()
    private(set) var dumpsSeen = 0
    private(set) var lastLine = 0

    /// Application lines holding a rule pack's anchor become log lines; those holding a host hint's literal feed `hints`.
    private var anchorFilter: AppLinePrefilter
    private var hintFilter: AppLinePrefilter
    private var dump: ThreadDump?
    private var prefix: LinePrefix?
    /// Whether `prefix` was learnt from a paste's first line (indentation, a quote, a logger's words
    /// that later lines may lack) rather than from a `Full thread dump` line.
    private var prefixFromPaste = false
    private var thread: JavaThread?
    private var section = Section.threads
    private var stamp: Stamp?
    private var instant: (line: Int, seconds: Double)?
    private var version: (line: Int, text: String)?
    private var foreignRun = 0
    private var deadlock: JVMDeadlock?
    private var deadlockEntry: JVMDeadlock.Entry?
    private var strings = StringInterner()
    private var rejoiner = LineRejoiner()
    private var stacks = StackInterner()
    private var reportedInvalidUTF8 = false
    /// Owners and waiters named by a line of another thread (`owned by "Y"`, a javacore's LOCKS
    /// section): applied to the named threads when the dump ends.
    private var namedOwners: [(name: String, lock: LockRef, ownable: Bool)] = []
    private var namedWaiters: [(name: String, lock: LockRef)] = []
    /// Javacore: the monitor whose queue is being listed, and whether it is the notify queue.
    private var javacoreMonitor: (lock: LockRef, notify: Bool)?
    private var javacoreDeadlockThreads: [(name: String, line: Int)] = []
    private var javacoreDeadlockLocks: [LockRef?] = []
    /// Javacore: the local time line, kept until the UTC one may follow.
    private var javacoreLocalTime: (local: Double, written: String)?
    /// Threads of the deadlock section's `Java stack information`, and whether the open thread is one.
    private var deadlockStackThreads: [JavaThread] = []
    private var threadFromDeadlockStacks = false

    /// - Parameter anchors: the rule packs' anchors: application lines holding one are kept as log lines.
    init(inputPath: String, timeZone: DumpTimeZone, anchors: [String], maxLineLength: Int) {
        self.inputPath = inputPath
        self.timeZone = timeZone
        anchorFilter = AppLinePrefilter(literals: anchors, maxLineLength: maxLineLength)
        hintFilter = AppLinePrefilter(literals: HostHints.literals, maxLineLength: maxLineLength)
    }

    /// Lets the prefilters choose their probes from the input's first chunk.
    mutating func plan(sample: UnsafeRawBufferPointer) {
        anchorFilter.plan(sample: sample)
        hintFilter.plan(sample: sample)
    }

    // MARK: Lines

    mutating func overlong(number: Int, offset: Int, limit: Int) {
        diagnostics.append(Diagnostic(code: "line.too-long",
            message: "line is longer than \(limit) bytes; only its first \(limit) bytes were read",
            input: inputPath, line: number, byteOffset: offset, severity: .warning))
    }

    mutating func line(_ bytes: UnsafeRawBufferPointer, number: Int, offset: Int) {
        lastLine = number
        var line = bytes
        if line.last == 0x0D { line = ByteText.slice(line, 0, line.count - 1) }
        if rejoiner.needsAttention(line) {
            rejoin(line, number: number, offset: offset)
            return
        }
        read(line, number: number, offset: offset)
    }

    /// A line that may be the head or the tail of a wrapped line, or quoted-printable text (`LineRejoiner`).
    private mutating func rejoin(_ line: UnsafeRawBufferPointer, number: Int, offset: Int) {
        while true {
            switch rejoiner.take(line, number: number, offset: offset) {
            case .pass:
                read(line, number: number, offset: offset)
                return
            case .held:
                return
            case .joined:
                let joined = rejoiner.takeJoined()
                joined.bytes.withUnsafeBytes { read($0, number: joined.number, offset: joined.offset) }
                return
            case .flushThenRetry:
                let previous = rejoiner.takeJoined()
                previous.bytes.withUnsafeBytes { read($0, number: previous.number, offset: previous.offset) }
            }
        }
    }

    /// One whole line of the input.
    private mutating func read(_ line: UnsafeRawBufferPointer, number: Int, offset: Int) {
        if dump != nil {
            var payload = line
            if let prefix {
                guard let length = prefix.match(line) ?? (prefixFromPaste ? 0 : nil) else {
                    // Another stream's or process's line between the dump's own.
                    dump?.interleavedLines += 1
                    application(line, number: number, offset: offset)
                    return
                }
                payload = ByteText.slice(line, length)
            }
            if dump?.form == .javacore {
                if javacoreLine(payload, number: number, offset: offset) { return }
            } else if inDump(payload, raw: line, number: number, offset: offset) {
                return
            }
        }
        outside(line, number: number, offset: offset)
    }

    /// End of input: closes the open dump.
    mutating func finish(endedMidLine: Bool) {
        if let held = rejoiner.flush() {
            held.bytes.withUnsafeBytes { read($0, number: held.number, offset: held.offset) }
        }
        guard dump != nil else { return }
        if endedMidLine, section == .threads || section == .ownable, let thread {
            diagnostics.append(Diagnostic(code: "jstack.truncated",
                message: "the input ends in the middle of a line of thread \"\(thread.name)\": the dump is cut; the threads read so far are analysed",
                input: inputPath, line: lastLine, severity: .warning))
        }
        finishDump()
    }

    // MARK: Outside a dump

    private mutating func outside(_ line: UnsafeRawBufferPointer, number: Int, offset: Int) {
        let first = line.first ?? 0
        if let (start, form) = PastedDumpStart.find(line) {
            // A dump pasted without its header starts at its first thread (or at the JVM's deadlock
            // section); what stands before it — Markdown indentation, a `>` quote, a log prefix — is
            // the prefix of every line of the paste.
            startDump(headerAt: nil, line: line, number: number, offset: offset, form: form, prefixLength: start)
            let payload = ByteText.slice(line, start)
            if form == .javacore {
                _ = javacoreLine(payload, number: number, offset: offset)
            } else {
                _ = inDump(payload, raw: line, number: number, offset: offset)
            }
            return
        }
        if first == 0x3D, ByteText.hasPrefix(line, "===== FULL THREAD DUMP") {
            startDump(headerAt: nil, line: line, number: number, offset: offset, form: .jrockit)
            return
        }
        if first == 0x23, ThreadHeader.looksLikeDumpToFile(line) {
            startDump(headerAt: nil, line: line, number: number, offset: offset, form: .threadDumpText)
            _ = inDump(line, raw: line, number: number, offset: offset)
            return
        }
        if line.count >= 17, let at = ByteText.find("Full thread dump", in: line) {
            let header = ByteText.trimmed(ByteText.slice(line, at))
            if header.last == 0x3A {
                startDump(headerAt: at, line: line, number: number, offset: offset, form: .jstack)
                return
            }
        }
        if rememberTime(line, number: number) { return }
        application(line, number: number, offset: offset)
    }

    /// Remembers a local timestamp line, a `Thread.dump_to_file` instant or the runtime version after it.
    private mutating func rememberTime(_ line: UnsafeRawBufferPointer, number: Int) -> Bool {
        let text = ByteText.trimmed(line)
        guard text.count >= 8, text.count <= 200 else { return false }
        if text.count >= 19, let local = ByteText.localDateTime(text, at: text.count - 19) {
            let before = text.count - 19
            stamp = Stamp(line: number, local: local, written: ByteText.string(ByteText.slice(text, before)),
                          prefix: Array(ByteText.slice(line, 0, ByteText.indent(line) + before)))
            return true
        }
        if text.count >= 20, ByteText.isDigit(text[0]), let parsed = Timestamp.parseRFC3339(text), parsed.length == text.count {
            instant = (number, parsed.seconds)
            return true
        }
        if let instant, instant.line == number - 1, text.count < 64, ByteText.isDigit(text[0]),
           ByteText.firstIndex(of: 0x20, in: text) == nil {
            version = (number, ByteText.string(text))
            return true
        }
        return false
    }

    private mutating func startDump(headerAt: Int?, line: UnsafeRawBufferPointer, number: Int, offset: Int,
                                    form: ThreadDump.Form, prefixLength: Int = 0) {
        finishDump()
        dumpsSeen += 1
        prefix = (headerAt ?? (prefixLength > 0 ? prefixLength : nil)).flatMap { LinePrefix(ByteText.slice(line, 0, $0)) }
        prefixFromPaste = headerAt == nil && prefix != nil
        var time = DumpTime.none
        var jvm: String?
        if let headerAt {
            let header = ByteText.trimmed(ByteText.slice(line, headerAt + 16))
            var description = header
            if description.last == 0x3A { description = ByteText.slice(description, 0, description.count - 1) }
            if description.first == 0x5B, let close = ByteText.firstIndex(of: 0x5D, in: description) {
                time = Self.bracketDate(ByteText.slice(description, 1, close), zone: timeZone)
                description = ByteText.trimmed(ByteText.slice(description, close + 1))
            }
            if description.first == 0x28, description.last == 0x29 {
                description = ByteText.slice(description, 1, description.count - 1)
            }
            jvm = ByteText.string(description)
            if time.seconds == nil, let stamp, number - stamp.line <= 2 {
                let stampPrefix = stamp.prefix.withUnsafeBytes { bytes -> Bool in
                    guard let prefix else { return bytes.isEmpty }
                    return prefix.match(bytes) == bytes.count
                }
                if stampPrefix {
                    time = DumpTime(seconds: timeZone.utc(fromLocal: stamp.local), source: .header,
                                    written: stamp.written, zone: timeZone.description)
                }
            }
            if time.seconds == nil, let prefix, let seconds = prefix.time(of: line) {
                time = DumpTime(seconds: seconds, source: .linePrefix)
            }
        } else if form == .threadDumpText, let instant, number - instant.line <= 4 {
            time = DumpTime(seconds: instant.seconds, source: .instant)
            if let version, version.line == instant.line + 1 { jvm = version.text }
        } else if form != .threadDumpText, let stamp, number - stamp.line <= 2, stamp.prefix.isEmpty {
            time = DumpTime(seconds: timeZone.utc(fromLocal: stamp.local), source: .header, written: stamp.written,
                            zone: timeZone.description)
        }
        var fresh = ThreadDump(index: dumpsSeen, line: number, byteOffset: offset, form: form, time: time, frames: FrameTable())
        fresh.jvm = jvm
        fresh.hasHeader = headerAt != nil
        fresh.linePrefix = prefix?.example
        dump = fresh
        section = .threads
        thread = nil
        foreignRun = 0
        deadlock = nil
        deadlockEntry = nil
        stamp = nil
        instant = nil
        version = nil
        javacoreMonitor = nil
        javacoreLocalTime = nil
    }

    /// Reads `[<weekday> <month> <day> HH:MM:SS <zone> <year>]` (old HotSpot on HP-UX; the month
    /// may be a number followed by a local word in a legacy encoding).
    static func bracketDate(_ bytes: UnsafeRawBufferPointer, zone: DumpTimeZone) -> DumpTime {
        let tokens = bytes.split(separator: 0x20).map { Array($0) }
        guard let timeIndex = tokens.firstIndex(where: { $0.count == 8 && $0[2] == 0x3A && $0[5] == 0x3A }) else { return .none }
        let clock = tokens[timeIndex]
        func number(_ token: [UInt8]) -> Int? {
            var value = 0
            var digits = 0
            for b in token {
                guard ByteText.isDigit(b) else { break }
                value = value * 10 + Int(b - 0x30)
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let hour = number(Array(clock[0..<2])), let minute = number(Array(clock[3..<5])), let second = number(Array(clock[6..<8])),
              let year = tokens[(timeIndex + 1)...].compactMap({ $0.count == 4 ? number($0) : nil }).first,
              timeIndex >= 2, let day = number(tokens[timeIndex - 1]), (1...31).contains(day) else { return .none }
        let monthToken = tokens[timeIndex - 2]
        var month: Int?
        let word = String(decoding: monthToken.prefix(3), as: UTF8.self).lowercased()
        if let index = months.firstIndex(of: word) { month = index + 1 } else { month = number(monthToken) }
        guard let month, (1...12).contains(month) else { return .none }
        let local = Double(Timestamp.daysFromCivil(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second)
        let zoneName = tokens[(timeIndex + 1)...].map { String(decoding: $0, as: UTF8.self) }
            .first { $0.count >= 2 && $0.count <= 5 && $0.allSatisfy(\.isLetter) }
        let written = String(decoding: bytes, as: UTF8.self)
        if let zoneName, let offset = DumpTimeZone.abbreviationOffset(zoneName) {
            return DumpTime(seconds: local - Double(offset), source: .headerDate, written: written, zone: zoneName)
        }
        return DumpTime(seconds: zone.utc(fromLocal: local), source: .headerDate, written: written, zone: zone.description)
    }

    private mutating func application(_ line: UnsafeRawBufferPointer, number: Int, offset: Int) {
        if hintFilter.matches(line) { hints.observe(line, number: number) }
        guard anchorFilter.matches(line) else { return }
        var text = ByteText.string(ByteText.slice(line, 0, min(line.count, maxTextLength)))
        if line.count > maxTextLength { text += "…" }
        appLines.append(AppLine(number: number, offset: offset, text: text, time: Timestamp.parseRFC3339(line)?.seconds))
    }

    // MARK: Inside a dump

    /// Handles one line of the open dump; false when the line is not part of it (the dump has
    /// ended and the line must be read again as an outside line).
    private mutating func inDump(_ payload: UnsafeRawBufferPointer, raw: UnsafeRawBufferPointer, number: Int, offset: Int) -> Bool {
        let indent = ByteText.indent(payload)
        let rest = ByteText.slice(payload, indent)
        switch section {
        case .heap:
            if indent > 0 || rest.isEmpty {
                dump?.endLine = number
                return true
            }
            finishDump()
            return false
        case .smr:
            if rest.first == 0x7D { section = .threads }
            if ByteText.hasPrefix(rest, "_java_thread_list="), let at = ByteText.find("length=", in: rest),
               let length = ByteText.decimal(rest, at: at + 7), dump?.threads.isEmpty == true {
                // The JVM says how many threads follow: one allocation for them, not a doubling series.
                dump?.threads.reserveCapacity(min(length.value, 1 << 24) + 64)
            }
            return true
        case .jrockitChains:
            // JRockit's lock-chain summary after the threads: the lock graph finds the same chains.
            if ByteText.hasPrefix(rest, "===== END OF THREAD DUMP") {
                finishDump()
                return true
            }
            return grammar(number)
        default:
            break
        }
        guard let first = rest.first else {
            if section == .ownable { section = .threads }
            return true
        }
        if indent > 0 {
            switch section {
            case .deadlock:
                deadlockDetail(rest)
                return true
            case .deadlockStacks where thread == nil:
                return true
            default:
                break
            }
            if ByteText.hasPrefix(rest, "at ") {
                if thread != nil { frameLine(ByteText.trimmed(ByteText.slice(rest, 3))) }
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "- ") {
                if dump?.form == .serviceabilityAgent, section != .ownable {
                    // `jstack -F`: ` - java.lang.Object.wait(long) @bci=0, line=503 (Interpreted frame)`.
                    if thread != nil { saFrameLine(ByteText.trimmed(ByteText.slice(rest, 2))) }
                    return grammar(number)
                }
                lockLine(ByteText.slice(rest, 2))
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "-- ") || ByteText.hasPrefix(rest, "^-- ") {
                jrockitLockLine(rest)
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "java.lang.Thread.State: ") {
                stateLine(ByteText.slice(rest, 24))
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "...") {
                // `ThreadInfo.toString()` cuts stacks after 8 frames.
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "Number of locked synchronizers = ") {
                section = .ownable
                thread?.listsOwnableSynchronizers = true
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "Locked ownable synchronizers:") {
                section = .ownable
                thread?.listsOwnableSynchronizers = true
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "Carrying virtual thread #") {
                thread?.carriedVirtualThread = ByteText.decimal(rest, at: 25)?.value
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "Mounted virtual thread #") {
                let start = thread?.frames.count
                thread?.mountedFrameStart = start
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "No compile task") || ByteText.hasPrefix(rest, "Compiling:") {
                return grammar(number)
            }
            return foreign(raw, number: number, offset: offset)
        }
        switch first {
        case 0x22: // "
            if section == .deadlock {
                startDeadlockEntry(rest, number: number)
                return grammar(number)
            }
            if section == .deadlockStacks {
                // `"name":` of `Java stack information for the threads listed above`: kept only for a thread
                // the dump does not show elsewhere (a paste of the deadlock section with its stacks).
                finishThread()
                if let close = ByteText.lastIndex(of: 0x22, in: rest), close > 0 {
                    thread = JavaThread(name: ByteText.name(ByteText.slice(rest, 1, close)), line: number, byteOffset: offset)
                    threadFromDeadlockStacks = true
                }
                return grammar(number)
            }
            if section == .jrockitChains { return grammar(number) }
            // JRockit's headers carry `tid=` too: looked for only where a JRockit dump can be (its own
            // `===== FULL THREAD DUMP`, or a paste without a header), so HotSpot's hot path stays one parse.
            let mayBeJRockit = dump?.form == .jrockit || dump?.hasHeader == false
            if let (header, valid) = (mayBeJRockit ? jrockitHeader(rest, number: number, offset: offset) : nil)
                ?? ThreadHeader.parseHotSpot(rest, number: number, offset: offset, words: &strings)
                ?? otherHeader(rest, number: number, offset: offset)
                ?? hazelcastHeader(rest, number: number, offset: offset) {
                finishThread()
                if !valid { reportInvalidUTF8(number: number, offset: offset) }
                thread = header
                section = .threads
                return grammar(number)
            }
        case 0x23: // #
            if ThreadHeader.looksLikeDumpToFile(rest),
               let (header, valid) = ThreadHeader.parseDumpToFile(rest, number: number, offset: offset) {
                finishThread()
                if !valid { reportInvalidUTF8(number: number, offset: offset) }
                thread = header
                section = .threads
                return grammar(number)
            }
        case 0x46: // F
            if ByteText.hasPrefix(rest, "Full thread dump") {
                finishDump()
                return false
            }
            if ByteText.hasPrefix(rest, "Found one Java-level deadlock:") {
                finishThread()
                closeDeadlock()
                deadlock = JVMDeadlock(line: number)
                section = .deadlock
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "Found "), ByteText.find(" deadlock", in: rest) != nil {
                closeDeadlock()
                section = .trailer
                return grammar(number)
            }
        case 0x4A: // J
            if ByteText.hasPrefix(rest, "JNI global ref") {
                finishThread()
                if !ByteText.hasPrefix(rest, "JNI global refs memory"),
                   let colon = ByteText.firstIndex(of: 0x3A, in: rest),
                   let count = ByteText.decimal(rest, at: colon + 2) {
                    dump?.jniReferences = count.value
                }
                section = .trailer
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "Java stack information for the threads listed above") {
                closeDeadlock()
                section = .deadlockStacks
                return grammar(number)
            }
        case 0x54: // T
            if ByteText.hasPrefix(rest, "Threads class SMR info:") {
                section = .smr
                return grammar(number)
            }
            if OtherThreadHeaders.looksLikeSA(rest), let header = OtherThreadHeaders.parseSA(rest, number: number, offset: offset, words: &strings) {
                finishThread()
                closeDeadlock()
                if dump?.form == .jstack, dump?.hasHeader == false { dump?.form = .serviceabilityAgent }
                thread = header
                section = .threads
                return grammar(number)
            }
        case 0x42, 0x43, 0x4F: // B, C, O: JRockit's lock chains
            if dump?.form == .jrockit, ByteText.find("lock chains", in: rest) != nil {
                finishThread()
                section = .jrockitChains
                return grammar(number)
            }
        case 0x5F: // _
            if ByteText.hasPrefix(rest, "_java_thread_list=") || ByteText.hasPrefix(rest, "_to_delete_list=") {
                return grammar(number)
            }
        case 0x3D: // =
            if section == .deadlock || section == .deadlockStacks { return grammar(number) }
            if ByteText.hasPrefix(rest, "===== END OF THREAD DUMP") {
                finishDump()
                return true
            }
            if ByteText.hasPrefix(rest, "===== FULL THREAD DUMP") {
                finishDump()
                return false
            }
        case 0x48: // H
            if ByteText.trimmed(rest).count == 4, ByteText.hasPrefix(rest, "Heap") {
                finishThread()
                dump?.hasHeapSummary = true
                section = .heap
                return grammar(number)
            }
        default:
            if ByteText.isDigit(first), rest.count >= 19, ByteText.localDateTime(rest, at: 0) != nil {
                // The next dump's timestamp line: remember it; the next header ends this dump.
                _ = rememberTime(raw, number: number)
                return true
            }
        }
        return foreign(raw, number: number, offset: offset)
    }

    /// A line of the dump grammar: the dump goes on.
    @inline(__always)
    private mutating func grammar(_ number: Int) -> Bool {
        foreignRun = 0
        dump?.endLine = number
        return true
    }

    /// A line that is not thread-dump grammar inside a dump: after the trailer it ends the
    /// dump; among the threads it is an application line printed in between.
    private mutating func foreign(_ raw: UnsafeRawBufferPointer, number: Int, offset: Int) -> Bool {
        if dump?.form == .jrockit, thread == nil, dump?.threads.isEmpty == true {
            // JRockit's preamble: the date, then the VM's name.
            if ByteText.find("JRockit", in: raw) != nil {
                dump?.jvm = ByteText.string(ByteText.trimmed(raw))
            } else if dump?.time.seconds == nil {
                let time = Self.bracketDate(ByteText.trimmed(raw), zone: timeZone)
                if time.seconds != nil { dump?.time = time }
            }
            return grammar(number)
        }
        if section == .trailer || section == .deadlockStacks {
            finishDump()
            return false
        }
        foreignRun += 1
        dump?.interleavedLines += 1
        application(raw, number: number, offset: offset)
        if foreignRun > foreignRunLimit {
            dump?.interleavedLines -= foreignRun
            finishDump()
        }
        return true
    }

    private mutating func reportInvalidUTF8(number: Int, offset: Int) {
        guard !reportedInvalidUTF8 else { return }
        reportedInvalidUTF8 = true
        diagnostics.append(Diagnostic(code: "input.invalid-utf8",
            message: "a thread name holds bytes that are not UTF-8 (a legacy 8-bit encoding); they are kept and shown as \\xHH escapes (reported once per input)",
            input: inputPath, line: number, byteOffset: offset, severity: .info))
    }

    /// `- locked <0x…> (a java.lang.Object)` and the other lock lines, after the `- `.
    private mutating func lockLine(_ line: UnsafeRawBufferPointer) {
        guard thread != nil else { return }
        var text = line
        while text.first == 0x20 { text = ByteText.slice(text, 1) }  // `ThreadInfo.toString()`: `-  locked X`
        let frame = (thread?.frames.count ?? 0) - 1
        let kind: LockAction.Kind
        let skip: Int
        if section == .ownable {
            if ByteText.hasPrefix(text, "None") { return }
            if let lock = reference(text) { thread?.ownableSynchronizers.append(lock) }
            return
        }
        if ByteText.hasPrefix(text, "locked ") {
            kind = .locked; skip = 7
        } else if ByteText.hasPrefix(text, "waiting to lock ") {
            kind = .waitingToLock; skip = 16
        } else if ByteText.hasPrefix(text, "waiting on ") {
            kind = .waitingOn; skip = 11
        } else if ByteText.hasPrefix(text, "parking to wait for ") {
            kind = .parkingFor; skip = 20
        } else if ByteText.hasPrefix(text, "waiting to re-lock in wait() ") {
            kind = .waitingToRelock; skip = 29
        } else if ByteText.hasPrefix(text, "eliminated ") {
            kind = .eliminated; skip = 11
        } else if ByteText.hasPrefix(text, "blocked on ") {
            kind = .waitingToLock; skip = 11
        } else {
            return
        }
        let lock = reference(ByteText.slice(text, skip))
        if kind == .waitingOn, let lock, lock.isIdentityHash, lock.isOwnableSynchronizer {
            // `ThreadInfo.toString()` says `waiting on` for a thread parked on a j.u.c. lock.
            thread?.locks.append(LockAction(kind: .parkingFor, lock: lock, frame: frame))
            return
        }
        thread?.locks.append(LockAction(kind: kind, lock: lock, frame: frame))
    }

    /// `<0x000000076ab62208> (a java.lang.Object)`, `<7c0887da8> (a X)`, `<java.lang.Object@5822737e>`.
    private mutating func reference(_ text: UnsafeRawBufferPointer) -> LockRef? {
        if text.first != 0x3C {
            // `java.lang.Object@32a88bc2` without brackets (`ThreadInfo.toString()`, VisualVM).
            let token = ByteText.slice(text, 0, ByteText.firstIndex(of: 0x20, in: text) ?? text.count)
            if let lock = OtherThreadHeaders.identityReference(token, words: &strings) { return lock }
        }
        guard let open = ByteText.firstIndex(of: 0x3C, in: text),
              let close = ByteText.firstIndex(of: 0x3E, in: text, from: open) else { return nil }
        let inside = ByteText.slice(text, open + 1, close)
        if let at = ByteText.lastIndex(of: 0x40, in: inside) {
            guard let hash = ByteText.hex(inside, at: at + 1) else { return nil }
            return LockRef(value: hash.value, isIdentityHash: true, className: strings.intern(ByteText.slice(inside, 0, at)),
                           digits: hash.digits, prefixed: false)
        }
        guard let address = ByteText.hex(inside, at: 0), address.end == inside.count else { return nil }
        var className: String?
        if let a = ByteText.find("(a ", in: text, from: close), let end = ByteText.firstIndex(of: 0x29, in: text, from: a) {
            className = strings.intern(ByteText.slice(text, a + 3, end))
        }
        return LockRef(value: address.value, className: className, digits: address.digits, prefixed: address.prefixed)
    }

    private mutating func finishThread() {
        guard var done = thread else { return }
        done.frames = stacks.intern(done.frames)
        if threadFromDeadlockStacks {
            deadlockStackThreads.append(done)
        } else {
            dump?.threads.append(done)
        }
        threadFromDeadlockStacks = false
        thread = nil
        if section == .ownable { section = .threads }
    }

    private mutating func finishDump() {
        guard dump != nil else { return }
        finishThread()
        closeJavacoreDeadlock()
        closeDeadlock()
        guard var done = dump else { return }
        PartialDumpCompletion.complete(&done, stacks: deadlockStackThreads, owners: namedOwners, waiters: namedWaiters)
        deadlockStackThreads.removeAll()
        namedOwners.removeAll()
        namedWaiters.removeAll()
        done.frames = frames
        stacks.reset()
        if done.threads.isEmpty {
            diagnostics.append(Diagnostic(code: "jstack.empty-dump",
                message: "thread dump \(done.index) has a header but no threads",
                input: inputPath, line: done.line, byteOffset: done.byteOffset, severity: .warning))
        }
        completed.append((done, hints))
        dump = nil
        prefix = nil
        section = .threads
        foreignRun = 0
    }

    // MARK: Other formats' lines

    /// A frame line's text after `at `: dotted first when written in the JVM's internal spelling.
    private mutating func frameLine(_ text: UnsafeRawBufferPointer) {
        let id: Int32
        if dump?.form == .jrockit || dump?.form == .javacore, let dotted = OtherThreadHeaders.dottedFrame(text) {
            id = dotted.withUnsafeBytes { frames.intern($0) }
        } else {
            id = frames.intern(text)
        }
        if thread?.frames.capacity == 0 { thread?.frames.reserveCapacity(32) }
        thread?.frames.append(id)
    }

    /// `java.lang.Object.wait(long) @bci=0, line=503 (Interpreted frame)` (`jstack -F`): the method and line.
    private mutating func saFrameLine(_ text: UnsafeRawBufferPointer) {
        var end = text.count
        if let kind = ByteText.findLast(" (", in: text), ByteText.find("frame)", in: text, from: kind) != nil { end = kind }
        let id = frames.intern(ByteText.slice(text, 0, end))
        thread?.frames.append(id)
    }

    /// JRockit's lock lines: `-- Blocked trying to get lock: X[fat lock]`, `^-- Holding lock: X[thin lock]`,
    /// `-- Waiting for notification on: X`, `^-- Lock released while waiting: X`, `-- Parking to wait for: X`.
    private mutating func jrockitLockLine(_ text: UnsafeRawBufferPointer) {
        guard thread != nil, let colon = ByteText.find(": ", in: text) else { return }
        let kind: LockAction.Kind
        if ByteText.find("Blocked trying to get lock", in: text) != nil {
            kind = .waitingToLock
        } else if ByteText.find("Holding lock", in: text) != nil {
            kind = .locked
        } else if ByteText.find("Parking to wait for", in: text) != nil {
            kind = .parkingFor
        } else if ByteText.find("Waiting for notification", in: text) != nil || ByteText.find("Lock released while waiting", in: text) != nil {
            kind = .waitingOn
        } else {
            return
        }
        let lock = OtherThreadHeaders.identityReference(ByteText.trimmed(ByteText.slice(text, colon + 2)), words: &strings)
        let frame = (thread?.frames.count ?? 0) - 1
        thread?.locks.append(LockAction(kind: kind, lock: lock, frame: frame))
    }

    /// `RUNNABLE`, `WAITING (parking)`; VisualVM adds the lock: `BLOCKED on java.lang.Object@3c4e6e owned by: worker-1`,
    /// Hazelcast the lock, its owner and the CPU time: `BLOCKED, on lock=X, owned by worker-1, id=9, cpu=N nsecs, …`.
    private mutating func stateLine(_ value: UnsafeRawBufferPointer) {
        let state = ThreadState.parse(value)
        thread?.state = state
        if let open = ByteText.firstIndex(of: 0x28, in: value) {
            if let close = ByteText.lastIndex(of: 0x29, in: value), close > open {
                thread?.stateDetail = strings.intern(ByteText.slice(value, open + 1, close))
            }
            return
        }
        if dump?.form == .hazelcast, let cpu = HazelcastThreadLines.cpuMilliseconds(value) { thread?.cpuMilliseconds = cpu }
        guard let on = ByteText.find(" on ", in: value) else { return }
        var target = ByteText.slice(value, on + 4)
        if ByteText.hasPrefix(target, "lock=") { target = ByteText.slice(target, 5) }  // Hazelcast: `WAITING, on lock=X`
        guard let lock = OtherThreadHeaders.identityReference(
            ByteText.slice(target, 0, ByteText.firstIndex(of: 0x20, in: target) ?? target.count), words: &strings) else { return }
        let kind: LockAction.Kind = state == .blocked ? .waitingToLock : lock.isOwnableSynchronizer ? .parkingFor : .waitingOn
        thread?.locks.append(LockAction(kind: kind, lock: lock, frame: -1))
        if let owned = ByteText.find(" owned by: ", in: target) {
            namedOwners.append((ByteText.name(ByteText.trimmed(ByteText.slice(target, owned + 11))), lock, lock.isOwnableSynchronizer))
        } else if let owner = HazelcastThreadLines.owner(target) {
            namedOwners.append((owner, lock, lock.isOwnableSynchronizer))
        }
    }

    /// `"name" ` alone on its line, in a Hazelcast test runner's dump.
    private mutating func hazelcastHeader(_ rest: UnsafeRawBufferPointer, number: Int, offset: Int) -> (JavaThread, validUTF8: Bool)? {
        guard dump?.form == .hazelcast, let name = HazelcastThreadLines.bareHeader(rest) else { return nil }
        return (JavaThread(name: ByteText.name(name), line: number, byteOffset: offset), ByteText.isValidUTF8(name))
    }

    private mutating func jrockitHeader(_ rest: UnsafeRawBufferPointer, number: Int, offset: Int) -> (JavaThread, validUTF8: Bool)? {
        guard OtherThreadHeaders.isJRockit(rest),
              let parsed = OtherThreadHeaders.parseJRockit(rest, number: number, offset: offset, words: &strings) else { return nil }
        if dump?.form == .jstack, dump?.hasHeader == false { dump?.form = .jrockit }
        return parsed
    }

    /// Headers of `ThreadInfo.toString()` and VisualVM (HotSpot's and JRockit's are read before).
    private mutating func otherHeader(_ rest: UnsafeRawBufferPointer, number: Int, offset: Int) -> (JavaThread, validUTF8: Bool)? {
        if let parsed = OtherThreadHeaders.parseVisualVM(rest, number: number, offset: offset) {
            if dump?.form == .jstack, dump?.threads.isEmpty == true { dump?.form = .visualVM }
            return parsed
        }
        if let (header, valid) = OtherThreadHeaders.parseThreadInfo(rest, number: number, offset: offset, words: &strings) {
            if dump?.form == .jstack, dump?.threads.isEmpty == true { dump?.form = .threadInfo }
            if let owner = header.owner, let lock = header.lock {
                namedOwners.append((owner, lock, lock.isOwnableSynchronizer))
            }
            return (header.thread, valid)
        }
        return nil
    }

    /// One line of a javacore dump (prefix removed); false when the line starts the next javacore.
    private mutating func javacoreLine(_ payload: UnsafeRawBufferPointer, number: Int, offset: Int) -> Bool {
        let line = ByteText.slice(payload, ByteText.indent(payload))
        guard JavacoreLines.isTagged(line) else {
            // Prose or fences around a pasted fragment: not part of it, not the end of it.
            if !line.isEmpty { dump?.interleavedLines += 1 }
            return true
        }
        dump?.endLine = number
        switch JavacoreLines.parse(line, number: number, offset: offset, words: &strings) {
        case .title:
            if dump?.threads.isEmpty == false || thread != nil {
                finishDump()
                return false
            }
        case .thread(let header):
            finishThread()
            thread = header
            javacoreMonitor = nil
        case .anonymousThread:
            finishThread()
        case .javaThread(let id, let daemon):
            thread?.javaID = id
            thread?.isDaemon = daemon
        case .nativeID(let id):
            thread?.nid = id
            thread?.osThreadID = Int(clamping: id)
        case .cpu(let milliseconds):
            thread?.cpuMilliseconds = milliseconds
        case .block(let kind, let lock, let owner):
            thread?.locks.append(LockAction(kind: kind, lock: lock, frame: -1))
            if let owner, let lock { namedOwners.append((owner, lock, kind == .parkingFor)) }
        case .frame(let text):
            if thread != nil { frameLine(text) }
        case .entered(let lock):
            let frame = (thread?.frames.count ?? 0) - 1
            thread?.locks.append(LockAction(kind: .locked, lock: lock, frame: frame))
        case .time(let utc, let local, let written):
            if utc {
                dump?.time = DumpTime(seconds: local, source: .headerDate, written: written, zone: "UTC")
            } else if dump?.time.seconds == nil {
                dump?.time = DumpTime(seconds: timeZone.utc(fromLocal: local), source: .header, written: written,
                                      zone: timeZone.description)
            }
        case .jvm(let text):
            dump?.jvm = text
        case .monitor(let lock, let owner):
            finishThread()
            javacoreMonitor = lock.map { ($0, false) }
            if let lock, let owner { namedOwners.append((owner, lock, false)) }
        case .waiterQueue(let notify):
            if let monitor = javacoreMonitor { javacoreMonitor = (monitor.lock, notify) }
        case .waiter(let name):
            if let monitor = javacoreMonitor, !monitor.notify { namedWaiters.append((name, monitor.lock)) }
        case .deadlockStart:
            finishThread()
            closeJavacoreDeadlock()
            javacoreDeadlockThreads = []
            javacoreDeadlockLocks = []
            deadlock = JVMDeadlock(line: number)
        case .deadlockThread(let name):
            javacoreDeadlockThreads.append((name, number))
        case .deadlockLock(let lock):
            javacoreDeadlockLocks.append(lock)
        case .other:
            break
        }
        return true
    }

    /// A javacore's `1LKDEADLOCK` cycle: each thread waits for the lock after it, held by the next thread.
    private mutating func closeJavacoreDeadlock() {
        guard var cycle = deadlock, !javacoreDeadlockThreads.isEmpty else { return }
        var members = javacoreDeadlockThreads
        if members.count > 1, members.last?.name == members.first?.name { members.removeLast() }
        for (position, member) in members.enumerated() {
            let lock = javacoreDeadlockLocks.indices.contains(position) ? javacoreDeadlockLocks[position] : nil
            cycle.entries.append(JVMDeadlock.Entry(thread: member.name, lock: lock, lockKind: "monitor",
                                                   heldBy: members[(position + 1) % members.count].name, line: member.line))
        }
        dump?.jvmDeadlocks.append(cycle)
        deadlock = nil
        javacoreDeadlockThreads = []
        javacoreDeadlockLocks = []
    }

    /// `java/util/concurrent/locks/ReentrantLock$NonfairSync` (`jstack -F`) as `java.util.concurrent.locks.ReentrantLock$NonfairSync`.
    static func dotted(_ name: UnsafeRawBufferPointer, words: inout StringInterner) -> String {
        guard ByteText.firstIndex(of: 0x2F, in: name) != nil else { return words.intern(name) }
        return String(decoding: name.map { $0 == 0x2F ? 0x2E : $0 }, as: UTF8.self)
    }

    // MARK: The JVM's deadlock section

    private mutating func startDeadlockEntry(_ text: UnsafeRawBufferPointer, number: Int) {
        closeDeadlockEntry()
        guard let close = ByteText.lastIndex(of: 0x22, in: text), close > 0 else { return }
        deadlockEntry = JVMDeadlock.Entry(thread: ByteText.name(ByteText.slice(text, 1, close)), lock: nil,
                                          lockKind: "monitor", heldBy: nil, line: number)
    }

    private mutating func deadlockDetail(_ text: UnsafeRawBufferPointer) {
        guard deadlockEntry != nil else { return }
        if ByteText.hasPrefix(text, "waiting to lock monitor ") || ByteText.hasPrefix(text, "waiting to lock Monitor@") {
            // HotSpot: `(object 0x…, a X)`; `jstack -F`: `(Object@0x…, a X)`.
            let object = ByteText.find("(object ", in: text).map { $0 + 8 } ?? ByteText.find("(Object@", in: text).map { $0 + 8 }
            if let object, let address = ByteText.hex(text, at: object) {
                var className: String?
                if let a = ByteText.find(", a ", in: text, from: address.end), let end = ByteText.firstIndex(of: 0x29, in: text, from: a) {
                    className = Self.dotted(ByteText.slice(text, a + 4, end), words: &strings)
                }
                deadlockEntry?.lock = LockRef(value: address.value, className: className, digits: address.digits, prefixed: address.prefixed)
            }
            deadlockEntry?.lockKind = "monitor"
        } else if ByteText.hasPrefix(text, "waiting for ownable synchronizer ") {
            if let address = ByteText.hex(text, at: 33) {
                var className: String?
                if let a = ByteText.find("(a ", in: text, from: address.end), let end = ByteText.firstIndex(of: 0x29, in: text, from: a) {
                    className = strings.intern(ByteText.slice(text, a + 3, end))
                }
                deadlockEntry?.lock = LockRef(value: address.value, className: className, digits: address.digits, prefixed: address.prefixed)
            }
            deadlockEntry?.lockKind = "ownable synchronizer"
        } else if let held = ByteText.find("which is held by ", in: text) {
            let name = ByteText.slice(text, held + 17)
            if name.first == 0x22, let close = ByteText.lastIndex(of: 0x22, in: name), close > 0 {
                deadlockEntry?.heldBy = ByteText.name(ByteText.slice(name, 1, close))
            } else {
                deadlockEntry?.heldBy = ByteText.name(ByteText.trimmed(name))
            }
        }
    }

    private mutating func closeDeadlockEntry() {
        if let entry = deadlockEntry { deadlock?.entries.append(entry) }
        deadlockEntry = nil
    }

    private mutating func closeDeadlock() {
        closeDeadlockEntry()
        if let cycle = deadlock, !cycle.entries.isEmpty { dump?.jvmDeadlocks.append(cycle) }
        deadlock = nil
    }
}
