/// Everything an analysis reads about one dump.
struct AnalysisContext {
    let dump: ThreadDump
    let activities: [ThreadActivity]
    let graph: LockGraph
    let step: SeriesStep?
    let hints: HostHints?

    func name(_ index: Int) -> String { dump.threads[index].name }

    func frame(_ id: Int32?) -> String? { id.map { dump.frames[$0] } }

    /// `TIMED_WAITING, sleeping in java.lang.Thread.sleep(Native Method) at com.acme.X.y(X.java:12)`.
    func describe(_ index: Int) -> String {
        let thread = dump.threads[index]
        let activity = activities[index]
        var parts: [String] = []
        if let state = thread.state { parts.append(state.rawValue) }
        var doing = activity.kind.rawValue
        if let frame = frame(activity.frame) { doing += " in " + frame }
        if let app = activity.applicationFrame, app != activity.frame, let text = frame(app) { doing += " at " + text }
        parts.append(doing)
        return parts.joined(separator: ", ")
    }

    /// How long and across how many dumps the thread has been stuck, for summaries: `, unchanged for 10 s across 3 dumps`.
    func stuckNote(_ index: Int) -> String {
        guard let step, step.dumpsStuck(index) > 1 else { return "" }
        var note = ", the same stack across \(step.dumpsStuck(index)) dumps"
        if let seconds = step.unmovedSeconds[index] { note += " (\(Self.seconds(seconds)))" }
        return note
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\((value * 10).rounded() / 10) s"
    }

    /// Pool a thread belongs to by its name: `pool-1-thread-3` → `pool-1-thread`.
    static func poolName(_ name: String) -> String {
        let utf8 = name.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, let b = Optional(utf8[utf8.index(before: end)]), b >= 0x30 && b <= 0x39 { end = utf8.index(before: end) }
        while end > utf8.startIndex, let b = Optional(utf8[utf8.index(before: end)]), b == 0x2D || b == 0x23 || b == 0x20 || b == 0x5F {
            end = utf8.index(before: end)
        }
        if end == utf8.endIndex { return name }
        return end == utf8.startIndex ? name : String(name[..<end])
    }
}
