/// Virtual-thread carrier starvation: every carrier of the scheduler's pool
/// runs a virtual thread that is CPU-bound or pinned (holds a monitor, or is in
/// a native frame or a class initializer, while
/// it blocks), so virtual threads that are ready to run get no carrier.
///
/// `jstack` shows only mounted virtual threads; `Thread.dump_to_file` shows
/// the waiting ones too (runnable, no carrier), which makes the finding firm.
/// Its JSON form names each mounted virtual thread's carrier; its text form
/// (JDK 21–25) does not, so there the carriers (platform threads running
/// `Continuation.run`) are paired in order with the mounted virtual threads
/// (runnable with a stack, or parked on their carrier).
extension ThreadDumpAnalyzer {
    func carrierStarvationFindings(_ context: AnalysisContext) -> [JVMFinding] {
        let threads = context.dump.threads
        // Nothing to do without virtual threads (and no id table to build for a million platform threads).
        guard threads.contains(where: { $0.isVirtual || $0.carriedVirtualThread != nil }) else { return [] }
        // Carriers: "Carrying virtual thread #N", or the carrier a JSON virtual thread names.
        var carried: [Int: Int] = [:] // carrier index → virtual thread index (JSON) or -1 (text)
        var byID: [Int: Int] = [:]
        for (index, thread) in threads.enumerated() { if let id = thread.javaID, byID[id] == nil { byID[id] = index } }
        for (index, thread) in threads.enumerated() {
            if thread.carriedVirtualThread != nil { carried[index] = byID[thread.carriedVirtualThread ?? -1] ?? -1 }
            if thread.isVirtual, let carrier = thread.carrierID, let carrierIndex = byID[carrier] { carried[carrierIndex] = index }
        }
        if carried.isEmpty, context.dump.form == .threadDumpText { carried = Self.pairedCarriers(context) }
        guard !carried.isEmpty else { return [] }
        let running = Set(carried.values)
        let waiting = threads.indices.filter {
            threads[$0].isVirtual && threads[$0].state == .runnable && threads[$0].carrierID == nil && !running.contains($0)
        }
        var pools: [String: [Int]] = [:]
        for index in carried.keys { pools[AnalysisContext.poolName(threads[index].name), default: []].append(index) }
        var findings: [JVMFinding] = []
        for (pool, carriers) in pools.sorted(by: { $0.key < $1.key }) {
            // Every member of the pool (by name) must be a busy carrier: an idle worker means capacity is left.
            let members = threads.indices.filter { !threads[$0].isVirtual && AnalysisContext.poolName(threads[$0].name) == pool }
            guard members.count == carriers.count else { continue }
            var hogs: [Int] = []
            var descriptions: [String] = []
            for carrier in carriers.sorted() {
                let runner = carried[carrier].flatMap { $0 >= 0 ? $0 : nil } ?? carrier
                let activity = context.activities[runner]
                let cpuBound = activity.kind == .running
                // Pinned: blocked while mounted because it holds a monitor, or blocks in a native frame or a class initializer.
                let blocked = activity.kind != .running && activity.kind != .idle
                let pinnedBy: String? = !blocked ? nil : activity.holdsMonitor ? "inside synchronized"
                    : Self.pinningFrame(threads[runner], context).map { "in \($0)" }
                    ?? (Self.parksOnCarrier(threads[runner], context) ? "parked on its carrier" : nil)
                let pinned = pinnedBy != nil
                guard cpuBound || pinned else { continue }
                hogs.append(carrier)
                if descriptions.count < 3 {
                    var text = runner == carrier ? "#\(threads[carrier].carriedVirtualThread ?? 0)" : "\"\(threads[runner].name)\""
                    text += pinnedBy.map { " pinned \($0)" } ?? " CPU-bound"
                    if let frame = context.frame(activity.applicationFrame ?? activity.frame) { text += " at \(frame)" }
                    descriptions.append(text)
                }
            }
            guard hogs.count == carriers.count else { continue }
            var confidence = waiting.isEmpty ? 0.6 : 0.85
            if waiting.count >= carriers.count { confidence += 0.04 }
            let stuck = carriers.map { context.step?.dumpsStuck($0) ?? 1 }.min() ?? 1
            if stuck > 1 { confidence += 0.12 }
            var summary = "All \(carriers.count) carrier\(carriers.count == 1 ? "" : "s") of \(pool) run virtual threads that do not yield ("
                + descriptions.joined(separator: "; ") + (hogs.count > descriptions.count ? "; …" : "") + ")"
            if waiting.isEmpty {
                summary += "; virtual threads waiting for a carrier are not visible in this form of dump"
            } else {
                summary += "; \(waiting.count) runnable virtual thread\(waiting.count == 1 ? "" : "s") wait for a carrier"
            }
            if stuck > 1 { summary += "; unchanged across \(stuck) dumps" }
            let ordered = carriers.sorted()
            var subjects = ["threads": String(carriers.count + waiting.count), "thread": threads[ordered[0]].name, "pool": pool,
                            "carriers": String(carriers.count)]
            if !waiting.isEmpty { subjects["waiting_virtual_threads"] = String(waiting.count) }
            findings.append(JVMFinding(cause: JVMFinding.carrierStarvation, confidence: confidence, summary: summary,
                                       threads: ordered + waiting, subjects: subjects))
        }
        return findings
    }

    /// `Thread.dump_to_file` text: carrier index → mounted virtual thread index, pairing in dump order the
    /// platform threads whose stack is a continuation's with the virtual threads that are mounted (a stack
    /// while runnable, or a park on the carrier); empty when the two counts differ.
    static func pairedCarriers(_ context: AnalysisContext) -> [Int: Int] {
        let threads = context.dump.threads
        let kinds = context.dump.frames.kinds
        var carriers: [Int] = []
        var mounted: [Int] = []
        for (index, thread) in threads.enumerated() {
            if thread.isVirtual {
                if (thread.state == .runnable && !thread.frames.isEmpty) || parksOnCarrier(thread, context) { mounted.append(index) }
            } else if let top = thread.frames.first, kinds[Int(top)].contains(.continuation) {
                carriers.append(index)
            }
        }
        guard !carriers.isEmpty, carriers.count == mounted.count else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(carriers, mounted))
    }

    /// Whether `thread` parks without unmounting (`VirtualThread.parkOnCarrierThread`): the JDK's own word that it is pinned.
    static func parksOnCarrier(_ thread: JavaThread, _ context: AnalysisContext) -> Bool {
        thread.activeFrames.prefix(6).contains { context.dump.frames[$0].contains("VirtualThread.parkOnCarrierThread") }
    }

    /// A frame of the running part of `thread` that pins a blocked virtual thread to its carrier: a class
    /// initializer, or a native method other than the parking and yielding ones.
    static func pinningFrame(_ thread: JavaThread, _ context: AnalysisContext) -> String? {
        for id in thread.activeFrames {
            let frame = context.dump.frames[id]
            if frame.contains(".<clinit>(") { return frame }
            if frame.contains("Native Method"), !frame.contains("Unsafe.park"), !frame.contains("Continuation."),
               !context.dump.frames.kinds[Int(id)].contains(.continuation) {
                return frame
            }
        }
        return nil
    }
}
