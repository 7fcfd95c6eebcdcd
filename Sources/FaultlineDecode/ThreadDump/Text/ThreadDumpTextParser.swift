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
        case threads, ownable, smr, trailer, deadlock, deadlockStacks, heap
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
    private var thread: JavaThread?
    private var section = Section.threads
    private var stamp: Stamp?
    private var instant: (line: Int, seconds: Double)?
    private var version: (line: Int, text: String)?
    private var foreignRun = 0
    private var deadlock: JVMDeadlock?
    private var deadlockEntry: JVMDeadlock.Entry?
    private var strings = StringInterner()
    private var reportedInvalidUTF8 = false

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
        if dump != nil {
            var payload = line
            if let prefix {
                guard let length = prefix.match(line) else {
                    // Another stream's or process's line between the dump's own.
                    dump?.interleavedLines += 1
                    application(line, number: number, offset: offset)
                    return
                }
                payload = ByteText.slice(line, length)
            }
            if inDump(payload, raw: line, number: number, offset: offset) { return }
        }
        outside(line, number: number, offset: offset)
    }

    /// End of input: closes the open dump.
    mutating func finish(endedMidLine: Bool) {
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
        if first == 0x22, ThreadHeader.looksLikeHotSpot(line) {
            // A dump pasted without its header starts at its first thread.
            startDump(headerAt: nil, line: line, number: number, offset: offset, form: .jstack)
            _ = inDump(line, raw: line, number: number, offset: offset)
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
                                    form: ThreadDump.Form) {
        finishDump()
        dumpsSeen += 1
        prefix = headerAt.flatMap { LinePrefix(ByteText.slice(line, 0, $0)) }
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
        } else if form == .jstack, let stamp, number - stamp.line <= 2, stamp.prefix.isEmpty {
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
            return true
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
            case .deadlockStacks:
                return true
            default:
                break
            }
            if ByteText.hasPrefix(rest, "at ") {
                if thread != nil {
                    let id = frames.intern(ByteText.trimmed(ByteText.slice(rest, 3)))
                    thread?.frames.append(id)
                }
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "- ") {
                lockLine(ByteText.slice(rest, 2))
                return grammar(number)
            }
            if ByteText.hasPrefix(rest, "java.lang.Thread.State: ") {
                let value = ByteText.slice(rest, 24)
                thread?.state = ThreadState.parse(value)
                if let open = ByteText.firstIndex(of: 0x28, in: value), let close = ByteText.lastIndex(of: 0x29, in: value), close > open {
                    thread?.stateDetail = strings.intern(ByteText.slice(value, open + 1, close))
                }
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
            if section == .deadlockStacks { return grammar(number) }
            if let (header, valid) = ThreadHeader.parseHotSpot(rest, number: number, offset: offset, words: &strings) {
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
        case 0x5F: // _
            if ByteText.hasPrefix(rest, "_java_thread_list=") || ByteText.hasPrefix(rest, "_to_delete_list=") {
                return grammar(number)
            }
        case 0x3D: // =
            if section == .deadlock || section == .deadlockStacks { return grammar(number) }
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
            message: "a thread name holds bytes that are not UTF-8; they are shown as U+FFFD (reported once per input)",
            input: inputPath, line: number, byteOffset: offset, severity: .info))
    }

    /// `- locked <0x…> (a java.lang.Object)` and the other lock lines, after the `- `.
    private mutating func lockLine(_ text: UnsafeRawBufferPointer) {
        guard thread != nil else { return }
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
        } else {
            return
        }
        let lock = reference(ByteText.slice(text, skip))
        thread?.locks.append(LockAction(kind: kind, lock: lock, frame: frame))
    }

    /// `<0x000000076ab62208> (a java.lang.Object)`, `<7c0887da8> (a X)`, `<java.lang.Object@5822737e>`.
    private mutating func reference(_ text: UnsafeRawBufferPointer) -> LockRef? {
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
        guard let done = thread else { return }
        dump?.threads.append(done)
        thread = nil
        if section == .ownable { section = .threads }
    }

    private mutating func finishDump() {
        guard dump != nil else { return }
        finishThread()
        closeDeadlock()
        guard var done = dump else { return }
        done.frames = frames
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

    // MARK: The JVM's deadlock section

    private mutating func startDeadlockEntry(_ text: UnsafeRawBufferPointer, number: Int) {
        closeDeadlockEntry()
        guard let close = ByteText.lastIndex(of: 0x22, in: text), close > 0 else { return }
        deadlockEntry = JVMDeadlock.Entry(thread: ByteText.string(ByteText.slice(text, 1, close)), lock: nil,
                                          lockKind: "monitor", heldBy: nil, line: number)
    }

    private mutating func deadlockDetail(_ text: UnsafeRawBufferPointer) {
        guard deadlockEntry != nil else { return }
        if ByteText.hasPrefix(text, "waiting to lock monitor ") {
            if let object = ByteText.find("(object ", in: text), let address = ByteText.hex(text, at: object + 8) {
                var className: String?
                if let a = ByteText.find(", a ", in: text, from: address.end), let end = ByteText.firstIndex(of: 0x29, in: text, from: a) {
                    className = strings.intern(ByteText.slice(text, a + 4, end))
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
                deadlockEntry?.heldBy = ByteText.string(ByteText.slice(name, 1, close))
            } else {
                deadlockEntry?.heldBy = ByteText.string(ByteText.trimmed(name))
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
