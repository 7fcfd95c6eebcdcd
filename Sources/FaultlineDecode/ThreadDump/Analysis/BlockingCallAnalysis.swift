/// Threads stuck in name resolution (`InetAddress` lookups, `getaddrinfo`) or
/// in socket connects and reads to another service, with the host when a
/// thread name or the application's log lines beside the dump name it.
///
/// A lookup normally takes milliseconds, so even one thread caught in it is
/// worth reporting. A socket read counts only when the stack shows a client
/// of another service (an HTTP client, a JDBC driver…): a server thread
/// reading the next request is at rest. A client read may be a healthy long
/// call, so reads are reported when a thread stays in one across dumps, or
/// when several threads are in them at once.
extension ThreadDumpAnalyzer {
    func blockingCallFindings(_ context: AnalysisContext) -> [JVMFinding] {
        var dns: [Int] = []
        var connects: [Int] = []
        var reads: [Int] = []
        for (index, activity) in context.activities.enumerated() {
            switch activity.kind {
            case .resolvingName:
                dns.append(index)
            case .connecting:
                connects.append(index)
            case .readingSocket where activity.outbound == true:
                reads.append(index)
            default:
                break
            }
        }
        var findings: [JVMFinding] = []
        if let finding = dnsFinding(context, threads: dns) { findings.append(finding) }
        if let finding = ioFinding(context, connects: connects, reads: reads) { findings.append(finding) }
        return findings
    }

    private func stuckest(_ context: AnalysisContext, _ threads: [Int]) -> (index: Int, dumps: Int) {
        var best = (index: threads[0], dumps: context.step?.dumpsStuck(threads[0]) ?? 1)
        for index in threads {
            let dumps = context.step?.dumpsStuck(index) ?? 1
            if dumps > best.dumps { best = (index, dumps) }
        }
        return best
    }

    /// The host a group of threads talks to: from a thread name, else the log lines before the dump.
    private func host(_ context: AnalysisContext, _ threads: [Int], forDNS: Bool) -> (host: String, source: String)? {
        for index in threads.prefix(64) {
            if let host = HostHints.host(inThreadName: context.name(index)) { return (host, "thread name \"\(context.name(index))\"") }
        }
        if let hint = context.hints?.best(forDNS: forDNS, before: context.dump.endLine) {
            return (hint.host, "log line \(hint.line) (\(hint.source))")
        }
        return nil
    }

    private func dnsFinding(_ context: AnalysisContext, threads: [Int]) -> JVMFinding? {
        guard !threads.isEmpty else { return nil }
        let (representative, dumps) = stuckest(context, threads)
        var confidence = threads.count >= 4 ? 0.78 : threads.count >= 2 ? 0.7 : 0.6
        if dumps > 1 { confidence += 0.12 }
        var subjects = ["threads": String(threads.count), "thread": context.name(representative)]
        var summary = "\(threads.count) thread\(threads.count == 1 ? "" : "s") stuck resolving"
        if let (host, source) = host(context, threads, forDNS: true) {
            subjects["host"] = host
            subjects["host_source"] = source
            summary += " \(host)"
        } else {
            summary += " a host name"
        }
        return Self.finding(JVMFinding.blockedOnDNS, confidence: confidence, summary: summary, context: context,
                            representative: representative, threads: threads, subjects: subjects)
    }

    private func ioFinding(_ context: AnalysisContext, connects: [Int], reads: [Int]) -> JVMFinding? {
        let all = connects + reads
        guard !all.isEmpty else { return nil }
        let (representative, dumps) = stuckest(context, all)
        // One dump: a connect is rarely caught in flight; reads need company.
        guard dumps > 1 || !connects.isEmpty || reads.count >= 3 else { return nil }
        var confidence: Double
        if dumps > 1 {
            confidence = 0.8
        } else {
            confidence = connects.isEmpty ? 0.55 : 0.62
            if all.count >= 4 { confidence += 0.05 }
        }
        var subjects = ["threads": String(all.count), "thread": context.name(representative)]
        var parts: [String] = []
        if !reads.isEmpty { parts.append("\(reads.count) reading from a socket") }
        if !connects.isEmpty { parts.append("\(connects.count) connecting") }
        var summary = "\(all.count) thread\(all.count == 1 ? "" : "s") stuck in socket I/O (" + parts.joined(separator: ", ") + ")"
        if let (host, source) = host(context, all, forDNS: false) {
            subjects["host"] = host
            subjects["host_source"] = source
            summary += " to \(host)"
        }
        return Self.finding(JVMFinding.blockedOnIO, confidence: confidence, summary: summary, context: context,
                            representative: representative, threads: all, subjects: subjects)
    }

    /// The finding, its summary ended with where the representative thread is stuck, who called it,
    /// how long it has been stuck and where the host came from; the representative thread first.
    private static func finding(_ cause: String, confidence: Double, summary: String, context: AnalysisContext,
                                representative: Int, threads: [Int], subjects: [String: String]) -> JVMFinding {
        var summary = summary
        if let frame = context.frame(context.activities[representative].frame) { summary += " in \(frame)" }
        if let app = context.frame(context.activities[representative].applicationFrame) { summary += " called from \(app)" }
        summary += context.stuckNote(representative)
        if let source = subjects["host_source"] { summary += "; host from \(source)" }
        let ordered = [representative] + threads.filter { $0 != representative }
        return JVMFinding(cause: cause, confidence: confidence, summary: summary, threads: ordered, subjects: subjects)
    }
}
