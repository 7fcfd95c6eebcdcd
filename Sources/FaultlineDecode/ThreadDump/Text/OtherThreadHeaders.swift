/// Thread header lines of the dump formats other than HotSpot's that people
/// paste: `java.lang.management.ThreadInfo.toString()` (JMX tools, Jenkins,
/// JavaMelody, OpenJ9's `jstack`), VisualVM/NetBeans, JRockit and the
/// serviceability agent's `jstack -F`.
///
///     "worker-4" Id=13 BLOCKED on java.lang.Object@32a88bc2 owned by "worker-0" Id=9
///     "main" prio=5 Id=1 RUNNABLE (in native)
///     "Timer-180" - Thread t@332
///     "Main Thread" id=1 idx=0x4 tid=27878 prio=5 alive, in native, waiting
///     Thread 23885: (state = BLOCKED)
enum OtherThreadHeaders {
    /// A `ThreadInfo.toString()` header and what it says about the lock the thread waits for.
    struct ThreadInfoHeader {
        var thread: JavaThread
        /// `on X`: the lock the thread is blocked on or waits on.
        var lock: LockRef?
        /// `owned by "Y"`: who holds it.
        var owner: String?
    }

    /// `"name" [daemon] [prio=N] Id=N STATE [on X] [owned by "Y" Id=M] [(in native)] [(suspended)]`; nil when not one.
    static func parseThreadInfo(_ line: UnsafeRawBufferPointer, number: Int, offset: Int,
                                words: inout StringInterner) -> (ThreadInfoHeader, validUTF8: Bool)? {
        guard line.first == 0x22, let id = ByteText.find(" Id=", in: line),
              let nameEnd = ByteText.lastIndex(of: 0x22, in: line, before: id), nameEnd >= 1 else { return nil }
        // Only `daemon` and `prio=N` may stand between the name and `Id=`.
        let between = ByteText.slice(line, nameEnd + 1, id)
        var i = 0
        while i < between.count {
            while i < between.count, between[i] == 0x20 { i += 1 }
            guard i < between.count else { break }
            guard ByteText.hasPrefix(between, "daemon", at: i) || ByteText.hasPrefix(between, "prio=", at: i) else { return nil }
            while i < between.count, between[i] != 0x20 { i += 1 }
        }
        guard let javaID = ByteText.decimal(line, at: id + 4) else { return nil }
        let nameBytes = ByteText.slice(line, 1, nameEnd)
        var thread = JavaThread(name: ByteText.name(nameBytes), line: number, byteOffset: offset)
        thread.javaID = javaID.value
        thread.isDaemon = ByteText.find("daemon", in: between) != nil
        if let prio = ByteText.find("prio=", in: between) { thread.priority = ByteText.decimal(between, at: prio + 5)?.value }
        var rest = ByteText.slice(line, javaID.end)
        while rest.first == 0x20 { rest = ByteText.slice(rest, 1) }
        if ByteText.hasPrefix(rest, "in ") { rest = ByteText.slice(rest, 3) }  // GraalVM: `Id=57 in WAITING on lock=…`
        guard let state = ThreadState.parse(rest) else { return nil }
        thread.state = state
        var header = ThreadInfoHeader(thread: thread)
        if let on = ByteText.find(" on ", in: rest) {
            var target = ByteText.slice(rest, on + 4)
            if ByteText.hasPrefix(target, "lock=") { target = ByteText.slice(target, 5) }
            let end = ByteText.firstIndex(of: 0x20, in: target) ?? target.count
            header.lock = identityReference(ByteText.slice(target, 0, end), words: &words)
        }
        if let owned = ByteText.find(" owned by \"", in: rest) {
            let name = ByteText.slice(rest, owned + 11)
            if let close = ByteText.find("\" Id=", in: name) ?? ByteText.lastIndex(of: 0x22, in: name) {
                header.owner = ByteText.name(ByteText.slice(name, 0, close))
            }
        }
        if let native = ByteText.find("(in native)", in: rest) { header.thread.osState = words.intern(ByteText.slice(rest, native + 1, native + 10)) }
        if let lock = header.lock, state == .blocked {
            header.thread.locks.append(LockAction(kind: .waitingToLock, lock: lock, frame: -1))
        } else if let lock = header.lock {
            header.thread.locks.append(LockAction(kind: lock.isOwnableSynchronizer ? .parkingFor : .waitingOn, lock: lock, frame: -1))
        }
        return (header, ByteText.isValidUTF8(nameBytes))
    }

    /// `"name" - Thread t@N` (VisualVM, NetBeans); nil when not one.
    static func parseVisualVM(_ line: UnsafeRawBufferPointer, number: Int, offset: Int) -> (JavaThread, validUTF8: Bool)? {
        guard line.first == 0x22, let marker = ByteText.findLast("\" - Thread t@", in: line), marker >= 1 else { return nil }
        let nameBytes = ByteText.slice(line, 1, marker)
        var thread = JavaThread(name: ByteText.name(nameBytes), line: number, byteOffset: offset)
        thread.javaID = ByteText.decimal(line, at: marker + 13)?.value
        return (thread, ByteText.isValidUTF8(nameBytes))
    }

    /// Whether a header with `tid=` is JRockit's (`idx=0x…`, `alive`).
    static func isJRockit(_ line: UnsafeRawBufferPointer) -> Bool {
        line.first == 0x22 && ByteText.find(" idx=0x", in: line) != nil
    }

    /// `"name" id=N idx=0x… tid=N prio=N alive, in native, waiting[, daemon]`: the state from JRockit's words.
    static func parseJRockit(_ line: UnsafeRawBufferPointer, number: Int, offset: Int,
                             words: inout StringInterner) -> (JavaThread, validUTF8: Bool)? {
        guard let idx = ByteText.find(" idx=0x", in: line), let nameEnd = ByteText.lastIndex(of: 0x22, in: line, before: idx),
              nameEnd >= 1 else { return nil }
        let nameBytes = ByteText.slice(line, 1, nameEnd)
        var thread = JavaThread(name: ByteText.name(nameBytes), line: number, byteOffset: offset)
        if let id = ByteText.find(" id=", in: ByteText.slice(line, nameEnd)) {
            thread.javaID = ByteText.decimal(line, at: nameEnd + id + 4)?.value
        }
        if let tid = ByteText.find(" tid=", in: line, from: idx) {
            thread.osThreadID = ByteText.decimal(line, at: tid + 5)?.value
        }
        if let prio = ByteText.find(" prio=", in: line, from: idx) {
            thread.priority = ByteText.decimal(line, at: prio + 6)?.value
            if let space = ByteText.firstIndex(of: 0x20, in: line, from: prio + 6) {
                let stateWords = ByteText.trimmed(ByteText.slice(line, space + 1))
                thread.osState = words.intern(stateWords)
                thread.isDaemon = ByteText.find("daemon", in: stateWords) != nil
                thread.state = jrockitState(stateWords)
            }
        }
        return (thread, ByteText.isValidUTF8(nameBytes))
    }

    /// JRockit's comma-separated words (`alive, in native, waiting`) as a `Thread.State`.
    static func jrockitState(_ words: UnsafeRawBufferPointer) -> ThreadState? {
        var state: ThreadState = .runnable
        var start = 0
        while start < words.count {
            let end = ByteText.firstIndex(of: 0x2C, in: words, from: start) ?? words.count
            let word = ByteText.trimmed(ByteText.slice(words, start, end))
            if word.count == 7, ByteText.hasPrefix(word, "blocked") {
                state = .blocked
            } else if word.count == 7, ByteText.hasPrefix(word, "waiting") || ByteText.hasPrefix(word, "parking") {
                if state != .blocked { state = .waiting }
            } else if ByteText.hasPrefix(word, "sleeping") {
                if state != .blocked { state = .timedWaiting }
            } else if ByteText.hasPrefix(word, "terminated") {
                state = .terminated
            }
            start = end + 1
        }
        return state
    }

    /// Whether `line` is a serviceability-agent header: `Thread 23885: (state = BLOCKED)`.
    static func looksLikeSA(_ line: UnsafeRawBufferPointer) -> Bool {
        ByteText.hasPrefix(line, "Thread ") && ByteText.find(": (state = ", in: line) != nil
    }

    /// `Thread 23885: (state = BLOCKED)`: `jstack -F` prints no names, only OS thread ids.
    static func parseSA(_ line: UnsafeRawBufferPointer, number: Int, offset: Int, words: inout StringInterner) -> JavaThread? {
        guard let colon = ByteText.find(": (state = ", in: line), let id = ByteText.decimal(line, at: 7) else { return nil }
        var thread = JavaThread(name: "Thread \(id.value)", line: number, byteOffset: offset)
        thread.osThreadID = id.value
        thread.nid = UInt64(id.value)
        let value = ByteText.slice(line, colon + 11)
        let word = ByteText.slice(value, 0, ByteText.firstIndex(of: 0x29, in: value) ?? value.count)
        thread.osState = words.intern(word)
        // IN_JAVA, IN_VM, IN_NATIVE run; BLOCKED covers monitors, waits and parking alike.
        thread.state = ByteText.hasPrefix(word, "IN_") ? .runnable : nil
        return thread
    }

    /// `java.lang.Object@32a88bc2`, `java/lang/Object@0x7b483a0[fat lock]`: a class and an identity hash or address.
    static func identityReference(_ text: UnsafeRawBufferPointer, words: inout StringInterner) -> LockRef? {
        var token = text
        if let bracket = ByteText.firstIndex(of: 0x5B, in: token) { token = ByteText.slice(token, 0, bracket) }
        while let last = token.last, last == 0x2C || last == 0x3A || last == 0x29 { token = ByteText.slice(token, 0, token.count - 1) }
        guard let at = ByteText.lastIndex(of: 0x40, in: token), at > 0, let hash = ByteText.hex(token, at: at + 1),
              hash.end == token.count else { return nil }
        let className = ByteText.slice(token, 0, at)
        let dotted: String
        if ByteText.firstIndex(of: 0x2F, in: className) != nil {
            dotted = String(decoding: className.map { $0 == 0x2F ? 0x2E : $0 }, as: UTF8.self)
        } else {
            dotted = words.intern(className)
        }
        return LockRef(value: hash.value, isIdentityHash: true, className: dotted, digits: hash.digits, prefixed: hash.prefixed)
    }

    /// A frame in JVM-internal spelling (JRockit, javacore): `java/lang/Object.wait(J)V(Native Method)` becomes
    /// `java.lang.Object.wait(Native Method)`, so it is classified like a HotSpot frame. Nil when already dotted.
    static func dottedFrame(_ frame: UnsafeRawBufferPointer) -> [UInt8]? {
        let open = ByteText.firstIndex(of: 0x28, in: frame) ?? frame.count
        guard ByteText.firstIndex(of: 0x2F, in: ByteText.slice(frame, 0, open)) != nil else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(frame.count)
        for b in ByteText.slice(frame, 0, open) { out.append(b == 0x2F ? 0x2E : b) }
        // A JNI signature `(J)V` before the location: the location is the group after it.
        var location = ByteText.slice(frame, open)
        if let close = ByteText.firstIndex(of: 0x29, in: location), close + 1 < location.count, location[close + 1] != 0x29,
           let next = ByteText.firstIndex(of: 0x28, in: location, from: close) {
            location = ByteText.slice(location, next)
        }
        out.append(contentsOf: location)
        return out
    }
}
