import FaultlineCore

/// Builds thread dumps from the tokens of `jcmd Thread.dump_to_file -format=json`
/// (JDK 21: `tid`, `name`, `stack`; JDK 25 adds `state`, `virtual`, `carrier`,
/// `blockedOn`, `waitingOn`, `parkBlocker`, `monitorsOwned`), one dump per
/// `threadDump` object, each thread handed over as soon as its object closes.
struct JSONThreadDumpParser: JSONTokenSink {
    let inputPath: String
    private(set) var frames = FrameTable()
    var completed: [ThreadDump] = []
    private(set) var dumpsSeen = 0

    private var path: [String] = []
    private var inArray: [Bool] = []
    private var pendingKey: String?
    private var dump: ThreadDump?
    private var thread: JavaThread?
    private var container: String?
    private var monitorDepth = 0
    private var owners: [(lock: LockRef, owner: Int)] = []
    private var strings = StringInterner()
    private var stacks = StackInterner()

    init(inputPath: String) {
        self.inputPath = inputPath
    }

    private mutating func takeKey() -> String {
        defer { pendingKey = nil }
        if inArray.last == true { return "[]" }
        return pendingKey ?? (path.isEmpty ? "$" : "?")
    }

    /// The key of the container `depth` levels up from the innermost (0 = innermost).
    private func up(_ depth: Int) -> String? {
        path.count > depth ? path[path.count - 1 - depth] : nil
    }

    private var inThread: Bool { thread != nil && up(0) == "[]" && up(1) == "threads" }

    mutating func token(_ token: JSONToken, line: Int, offset: Int) {
        switch token {
        case .key(let key):
            pendingKey = key
        case .beginObject, .beginArray:
            let key = takeKey()
            let isObject: Bool
            if case .beginObject = token { isObject = true } else { isObject = false }
            path.append(key)
            inArray.append(!isObject)
            opened(key, isObject: isObject, line: line, offset: offset)
        case .endObject, .endArray:
            let key = path.popLast()
            inArray.removeLast()
            closed(key ?? "")
        case .string(let value):
            scalar(takeKey(), string: value, number: nil, line: line)
        case .number(let value):
            scalar(takeKey(), string: nil, number: value, line: line)
        case .bool(let value):
            scalar(takeKey(), string: value ? "true" : "false", number: nil, line: line)
        case .null:
            _ = takeKey()
        }
    }

    private mutating func opened(_ key: String, isObject: Bool, line: Int, offset: Int) {
        guard isObject else { return }
        if key == "threadDump" {
            finishDump()
            dumpsSeen += 1
            var fresh = ThreadDump(index: dumpsSeen, line: line, byteOffset: offset, form: .json, time: .none, frames: FrameTable())
            fresh.hasHeader = true
            dump = fresh
        } else if key == "[]", up(1) == "threads", dump != nil {
            var fresh = JavaThread(name: "", line: line, byteOffset: offset)
            fresh.container = container
            thread = fresh
        }
    }

    private mutating func closed(_ key: String) {
        if key == "[]", up(0) == "threads", var done = thread {
            done.frames = stacks.intern(done.frames)
            dump?.threads.append(done)
            thread = nil
        } else if key == "threadDump" {
            finishDump()
        }
    }

    private mutating func scalar(_ key: String, string: String?, number: Double?, line: Int) {
        guard dump != nil else { return }
        if inThread {
            threadField(key, string: string, number: number, line: line)
            return
        }
        if thread != nil {
            // Inside an array or object of the thread.
            if up(0) == "stack", up(1) == "[]", let frame = string {
                thread?.frames.append(frames.intern(frame))
            } else if up(0) == "locks", up(1) == "[]", up(2) == "monitorsOwned", let text = string, let lock = reference(text) {
                thread?.locks.append(LockAction(kind: .locked, lock: lock, frame: monitorDepth))
            } else if up(0) == "[]", up(1) == "monitorsOwned", key == "depth", let depth = number {
                monitorDepth = Int(depth)
            } else if up(0) == "parkBlocker" {
                if key == "object", let text = string, let lock = reference(text) {
                    thread?.locks.append(LockAction(kind: .parkingFor, lock: lock, frame: 0))
                } else if key == "owner" || key == "exclusiveOwnerThreadId", let lock = thread?.locks.last?.lock,
                          let owner = number.map(Int.init) ?? string.flatMap({ Int($0) }) {
                    owners.append((lock, owner))
                }
            }
            return
        }
        if up(0) == "threadDump" {
            switch key {
            case "processId": dump?.processID = string ?? number.map { String(Int($0)) }
            case "time":
                if let text = string, let seconds = Self.instant(text) {
                    dump?.time = DumpTime(seconds: seconds, source: .instant, written: text)
                }
            case "runtimeVersion": dump?.jvm = string
            default: break
            }
        } else if up(0) == "[]", up(1) == "threadContainers", key == "container" {
            container = string
        }
    }

    private mutating func threadField(_ key: String, string: String?, number: Double?, line: Int) {
        switch key {
        case "tid":
            thread?.javaID = number.map(Int.init) ?? string.flatMap { Int($0) }
        case "name":
            thread?.name = string ?? ""
            thread?.line = line
        case "state":
            if let text = string { thread?.state = ThreadState(rawValue: text) }
        case "virtual":
            thread?.isVirtual = string == "true"
        case "carrier":
            thread?.carrierID = number.map(Int.init) ?? string.flatMap { Int($0) }
        case "blockedOn":
            if let text = string {
                let lock = reference(text)
                thread?.locks.append(LockAction(kind: .waitingToLock, lock: lock, frame: 0))
            }
        case "waitingOn":
            if let text = string {
                let lock = reference(text)
                thread?.locks.append(LockAction(kind: .waitingOn, lock: lock, frame: 0))
            }
        case "parkBlocker":
            if let text = string {
                let lock = reference(text)
                thread?.locks.append(LockAction(kind: .parkingFor, lock: lock, frame: 0))
            }
        default:
            break
        }
    }

    /// `java.lang.Object@5822737e`.
    private mutating func reference(_ text: String) -> LockRef? {
        var copy = text
        return copy.withUTF8 { raw -> LockRef? in
            let bytes = UnsafeRawBufferPointer(raw)
            guard let at = ByteText.lastIndex(of: 0x40, in: bytes), let hash = ByteText.hex(bytes, at: at + 1) else { return nil }
            return LockRef(value: hash.value, isIdentityHash: true, className: strings.intern(ByteText.slice(bytes, 0, at)),
                           digits: hash.digits, prefixed: false)
        }
    }

    private static func instant(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { Timestamp.parseRFC3339(UnsafeRawBufferPointer($0))?.seconds }
    }

    /// Closes the open dump (at its end, or at the end of a cut input).
    mutating func finishDump() {
        if let done = thread {
            dump?.threads.append(done)
            thread = nil
        }
        guard var done = dump else { return }
        for (lock, owner) in owners {
            if let index = done.threads.firstIndex(where: { $0.javaID == owner }) {
                done.threads[index].ownableSynchronizers.append(lock)
            }
        }
        owners.removeAll()
        done.frames = frames
        stacks.reset()
        done.endLine = done.threads.last?.line ?? done.line
        completed.append(done)
        dump = nil
    }
}
