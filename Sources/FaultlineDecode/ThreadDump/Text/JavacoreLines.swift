import FaultlineCore

/// The lines of an OpenJ9 / IBM javacore (`kill -3` on OpenJ9, TMDA's input)
/// that say what threads do and who holds which lock. Every line starts with
/// a tag, so the sections can be read from any paste, indented or not:
///
///     1TIDATETIMEUTC Date: 2021/04/23 at 18:02:44:017 (UTC)
///     3XMTHREADINFO      "Worker Thread 1" J9VMThread:0x92A3EC00, …, state:B, prio=5
///     3XMJAVALTHREAD            (java/lang/Thread getId:0x13, isDaemon:false)
///     3XMCPUTIME               CPU usage total: 0.004365543 secs, current category="Application"
///     3XMTHREADBLOCK     Blocked on: java/lang/Object@0xB5666688 Owned by: "Worker Thread 2" (J9VMThread:…)
///     4XESTACKTRACE                at WorkerThread.run(DeadLockTest.java:35)
///     5XESTACKTRACE                   (entered lock: java/lang/Object@0xB5666678, entry count: 1)
///     3LKMONOBJECT       java/lang/Object@0xB56658D8: Flat locked by "Worker Thread 0" (J9VMThread:…), entry count 1
///     3LKWAITER                "Worker Thread 1" (J9VMThread:0x92703F00)
///     1LKDEADLOCK    Deadlock detected !!!
///     2LKDEADLOCKTHR  Thread "Worker Thread 2" (0x94501D00)
///     4LKDEADLOCKOBJ      java/lang/Object@0xB5666698
enum JavacoreLines {
    /// What one javacore line says.
    enum Line {
        case thread(JavaThread)
        case anonymousThread
        case javaThread(id: Int?, daemon: Bool)
        case nativeID(UInt64)
        case cpu(milliseconds: Double)
        case block(LockAction.Kind, LockRef?, owner: String?)
        case frame(UnsafeRawBufferPointer)
        case entered(LockRef)
        case time(utc: Bool, local: Double, written: String)
        case jvm(String)
        case monitor(LockRef?, owner: String?)
        case waiterQueue(notify: Bool)
        case waiter(String)
        case deadlockStart
        case deadlockThread(String)
        case deadlockLock(LockRef?)
        case title
        case other
    }

    /// Whether a line (leading blanks removed) is a javacore line that can start a dump.
    static func startsDump(_ line: UnsafeRawBufferPointer) -> Bool {
        ByteText.hasPrefix(line, "0SECTION       TITLE") || ByteText.hasPrefix(line, "0SECTION       THREADS")
            || ByteText.hasPrefix(line, "3XMTHREADINFO ") || ByteText.hasPrefix(line, "1LKDEADLOCK ")
            || ByteText.hasPrefix(line, "0SECTION       LOCKS") || ByteText.hasPrefix(line, "2LKMONINUSE ")
    }

    /// Whether a line (leading blanks removed) carries a javacore tag: a digit, then capitals.
    static func isTagged(_ line: UnsafeRawBufferPointer) -> Bool {
        line.count >= 4 && ByteText.isDigit(line[0]) && line[1] >= 0x41 && line[1] <= 0x5A
            && line[2] >= 0x41 && line[2] <= 0x5A || ByteText.hasPrefix(line, "NULL")
    }

    /// Reads one tagged line (leading blanks removed).
    static func parse(_ line: UnsafeRawBufferPointer, number: Int, offset: Int, words: inout StringInterner) -> Line {
        let tagEnd = ByteText.firstIndex(of: 0x20, in: line) ?? line.count
        let tag = ByteText.slice(line, 0, tagEnd)
        let body = ByteText.trimmed(ByteText.slice(line, tagEnd))
        func equals(_ literal: StaticString) -> Bool { tag.count == literal.utf8CodeUnitCount && ByteText.hasPrefix(tag, literal) }
        func quoted(_ text: UnsafeRawBufferPointer) -> String? {
            guard let open = ByteText.firstIndex(of: 0x22, in: text) else { return nil }
            let inner = ByteText.slice(text, open + 1)
            // The name ends at the quote followed by ` (` or the end: names may hold quotes themselves.
            var close = ByteText.find("\" (", in: inner)
            if close == nil, inner.last == 0x22 { close = inner.count - 1 }
            guard let close else { return nil }
            return ByteText.name(ByteText.slice(inner, 0, close))
        }
        switch tag.first {
        case UInt8(ascii: "0"):
            return equals("0SECTION") && ByteText.hasPrefix(body, "TITLE") ? .title : .other
        case UInt8(ascii: "1"):
            if equals("1TIDATETIMEUTC") || equals("1TIDATETIME") {
                return time(body, utc: equals("1TIDATETIMEUTC")) ?? .other
            }
            if equals("1CIJAVAVERSION") { return .jvm(ByteText.string(body)) }
            if equals("1LKDEADLOCK") { return .deadlockStart }
        case UInt8(ascii: "2"):
            if equals("2LKDEADLOCKTHR"), let name = quoted(body) { return .deadlockThread(name) }
        case UInt8(ascii: "3"):
            if equals("3XMTHREADINFO") { return thread(body, number: number, offset: offset, words: &words) }
            if equals("3XMJAVALTHREAD") {
                let id = ByteText.find("getId:", in: body).flatMap { ByteText.hex(body, at: $0 + 6) }.map { Int(clamping: $0.value) }
                return .javaThread(id: id, daemon: ByteText.find("isDaemon:true", in: body) != nil)
            }
            if equals("3XMTHREADINFO1"), let at = ByteText.find("native thread ID:", in: body), let id = ByteText.hex(body, at: at + 17) {
                return .nativeID(id.value)
            }
            if equals("3XMCPUTIME"), let at = ByteText.find("total: ", in: body), let secs = ByteText.double(body, at: at + 7) {
                return .cpu(milliseconds: secs.value * 1000)
            }
            if equals("3XMTHREADBLOCK") { return block(body, words: &words) }
            if equals("3LKMONOBJECT") {
                let lock = OtherThreadHeaders.identityReference(
                    ByteText.slice(body, 0, ByteText.firstIndex(of: 0x20, in: body) ?? body.count), words: &words)
                return .monitor(lock, owner: ByteText.find("<unowned>", in: body) == nil ? quoted(body) : nil)
            }
            if equals("3LKWAITERQ") { return .waiterQueue(notify: false) }
            if equals("3LKNOTIFYQ") { return .waiterQueue(notify: true) }
            if equals("3LKWAITER") || equals("3LKWAITNOTIFY"), let name = quoted(body) { return .waiter(name) }
        case UInt8(ascii: "4"):
            if equals("4XESTACKTRACE"), ByteText.hasPrefix(body, "at ") { return .frame(ByteText.trimmed(ByteText.slice(body, 3))) }
            if equals("4LKDEADLOCKOBJ") {
                let token = ByteText.slice(body, 0, ByteText.firstIndex(of: 0x20, in: body) ?? body.count)
                return .deadlockLock(OtherThreadHeaders.identityReference(token, words: &words))
            }
        case UInt8(ascii: "5"):
            if equals("5XESTACKTRACE"), let at = ByteText.find("entered lock: ", in: body) {
                let rest = ByteText.slice(body, at + 14)
                let end = ByteText.firstIndex(of: 0x2C, in: rest) ?? ByteText.firstIndex(of: 0x29, in: rest) ?? rest.count
                if let lock = OtherThreadHeaders.identityReference(ByteText.slice(rest, 0, end), words: &words) { return .entered(lock) }
            }
        default:
            break
        }
        return .other
    }

    /// `"name" J9VMThread:0x…, omrthread_t:0x…, java/lang/Thread:0x…, state:B, prio=5`, or `Anonymous native thread`.
    private static func thread(_ body: UnsafeRawBufferPointer, number: Int, offset: Int, words: inout StringInterner) -> Line {
        guard body.first == 0x22 else { return .anonymousThread }
        let end = ByteText.find("\" J9VMThread:", in: body) ?? ByteText.lastIndex(of: 0x22, in: body) ?? 0
        guard end >= 1 else { return .anonymousThread }
        var thread = JavaThread(name: ByteText.name(ByteText.slice(body, 1, end)), line: number, byteOffset: offset)
        if let at = ByteText.find("state:", in: body, from: end) {
            let value = ByteText.slice(body, at + 6)
            let code = ByteText.slice(value, 0, ByteText.firstIndex(of: 0x2C, in: value) ?? value.count)
            thread.osState = words.intern(code)
            thread.state = state(code)
        }
        if let at = ByteText.find("prio=", in: body, from: end) { thread.priority = ByteText.decimal(body, at: at + 5)?.value }
        return .thread(thread)
    }

    /// OpenJ9's state codes: R runnable, CW/MW waiting, P parked, B blocked, S suspended, Z zombie.
    static func state(_ code: UnsafeRawBufferPointer) -> ThreadState? {
        switch code.count {
        case 1:
            switch code[0] {
            case UInt8(ascii: "R"): return .runnable
            case UInt8(ascii: "B"): return .blocked
            case UInt8(ascii: "P"): return .waiting
            case UInt8(ascii: "Z"): return .terminated
            default: return nil
            }
        case 2:
            return ByteText.hasPrefix(code, "CW") || ByteText.hasPrefix(code, "MW") ? .waiting : nil
        default:
            return nil
        }
    }

    /// `Blocked on: X Owned by: "Y" (…)`, `Waiting on: X Owned by: <unowned>`, `Parked on: X Owned by: "Y" (…)`.
    private static func block(_ body: UnsafeRawBufferPointer, words: inout StringInterner) -> Line {
        let kind: LockAction.Kind
        let skip: Int
        if ByteText.hasPrefix(body, "Blocked on: ") {
            kind = .waitingToLock; skip = 12
        } else if ByteText.hasPrefix(body, "Parked on: ") {
            kind = .parkingFor; skip = 11
        } else if ByteText.hasPrefix(body, "Waiting on: ") {
            kind = .waitingOn; skip = 12
        } else {
            return .other
        }
        let rest = ByteText.slice(body, skip)
        let lock = OtherThreadHeaders.identityReference(
            ByteText.slice(rest, 0, ByteText.firstIndex(of: 0x20, in: rest) ?? rest.count), words: &words)
        var owner: String?
        if let at = ByteText.find("Owned by: \"", in: rest) {
            let name = ByteText.slice(rest, at + 11)
            if let close = ByteText.find("\" (", in: name) ?? ByteText.lastIndex(of: 0x22, in: name) {
                owner = ByteText.name(ByteText.slice(name, 0, close))
            }
        }
        return .block(kind, lock, owner: owner)
    }

    /// `Date: 2021/04/23 at 18:02:44:017 (UTC)`: seconds since the epoch as written (UTC or local).
    private static func time(_ body: UnsafeRawBufferPointer, utc: Bool) -> Line? {
        guard let at = ByteText.find("Date: ", in: body) else { return nil }
        let text = ByteText.slice(body, at + 6)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= text.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                guard ByteText.isDigit(text[i]) else { return nil }
                value = value * 10 + Int(text[i] - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), ByteText.hasPrefix(text, " at ", at: 10),
              let hour = number(14, 2), let minute = number(17, 2), let second = number(20, 2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let local = Double(Timestamp.daysFromCivil(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second)
        return .time(utc: utc, local: local, written: ByteText.string(ByteText.slice(text, 0, min(text.count, 23))))
    }
}
