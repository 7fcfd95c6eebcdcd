import FaultlineCore
import FaultlineReport

/// Renders a `ThreadDumpInspection` for a person: per dump the time, states
/// by count, contended locks with owner and waiters, deadlock cycles,
/// identical-stack groups and findings; then the series. Everything that
/// came from an input is made printable.
public struct ThreadDumpTextRenderer {
    public init() {}

    private func p(_ text: String) -> String { TextReportRenderer.printable(text) }

    public func render(_ inspection: ThreadDumpInspection) -> String {
        var out = ""
        for input in inspection.inputs {
            out += "\(p(input.path))  \(input.format), \(input.dumps) dump\(input.dumps == 1 ? "" : "s")\n"
        }
        out += "local timestamp lines read as \(p(inspection.timeZone))\n"
        for dump in inspection.dumps {
            out += "\n== dump \(dump.position)  \(p(dump.path)):\(dump.line)  (\(dump.form) dump \(dump.index) of its input)\n"
            out += "   time: \(p(dump.timeExplanation))\n"
            if let jvm = dump.jvm { out += "   jvm: \(p(jvm))\n" }
            var threadLine = "   threads: \(dump.threads)"
            let states = dump.states.map { "\($0.state) \($0.count)" } + dump.stateless.map { "\($0.word) \($0.count)" }
            if !states.isEmpty { threadLine += " (" + p(states.joined(separator: ", ")) + ")" }
            if dump.virtualThreads > 0 { threadLine += "; \(dump.virtualThreads) virtual" }
            out += threadLine + "\n"
            if dump.locks.isEmpty {
                out += "   locks: \(dump.heldLocks) held, none contended\n"
            } else {
                out += "   locks: \(dump.heldLocks) held, \(dump.locks.count) with waiters\n"
                for lock in dump.locks.prefix(10) {
                    var line = "     \(p(lock.lock))  "
                    if let owner = lock.owner {
                        line += "held by \"\(p(owner))\" (\(p(lock.ownerActivity ?? "")))"
                    } else {
                        line += "owner not shown"
                    }
                    line += "; \(lock.waiters) waiting: " + lock.waiterNames.map { "\"\(p($0))\"" }.joined(separator: ", ")
                    if lock.waiters > lock.waiterNames.count { line += ", …" }
                    out += line + "\n"
                }
            }
            if !dump.blockingTree.roots.isEmpty {
                out += "   lock owners and their waiters:\n"
                for root in dump.blockingTree.roots.prefix(8) { out += tree(root, depth: 0) }
            }
            if !dump.cycles.isEmpty || dump.jvmDeadlocks > 0 {
                out += "   deadlocks: \(dump.cycles.count) (the JVM's own section lists \(dump.jvmDeadlocks))\n"
                for (number, cycle) in dump.cycles.enumerated() {
                    let source = cycle.reportedByJVM && cycle.foundInGraph ? "lock graph and JVM"
                        : cycle.reportedByJVM ? "JVM only" : "lock graph only"
                    out += "     \(number + 1). \(p(cycle.text))  [\(source)]\n"
                }
            }
            if !dump.groups.isEmpty {
                out += "   identical stacks:\n"
                for group in dump.groups.prefix(6) {
                    var line = "     \(group.count) × \(group.state ?? "-") \(group.activity)"
                    if let frame = group.frame { line += " at \(p(frame))" }
                    line += "  e.g. " + group.names.prefix(3).map { "\"\(p($0))\"" }.joined(separator: ", ")
                    out += line + "\n"
                }
            }
            if !dump.unmovedThreads.isEmpty {
                out += "   did not move:\n"
                for thread in dump.unmovedThreads {
                    var line = "     \"\(p(thread.thread))\"  \(thread.dumps) dumps"
                    if let seconds = thread.seconds { line += ", \(Self.format(seconds)) s" }
                    if let cpu = thread.cpuMilliseconds {
                        line += ", cpu +\(Self.format(cpu)) ms"
                        if let share = thread.cpuShare { line += " (\(Int((share * 100).rounded()))% of a core)" }
                    }
                    out += line + "  \(p(thread.activity))\n"
                }
            }
            if let unmoved = dump.unmoved {
                var line = "   since the previous dump: \(unmoved) busy threads did not move, \(dump.appearedCount) appeared, \(dump.vanishedCount) vanished"
                if !dump.appeared.isEmpty { line += "; appeared: " + dump.appeared.map { "\"\(p($0))\"" }.joined(separator: ", ") }
                if !dump.vanished.isEmpty { line += "; vanished: " + dump.vanished.map { "\"\(p($0))\"" }.joined(separator: ", ") }
                out += line + "\n"
            }
            if dump.findings.isEmpty {
                out += "   findings: none\n"
            } else {
                out += "   findings:\n"
                for finding in dump.findings {
                    let place = finding.line.map { "\(p(dump.path)):\($0)" } ?? p(dump.path)
                    out += "     \(finding.cause) \(Self.format(finding.confidence))  \(place)\n"
                    out += "       \(p(finding.summary))\n"
                }
            }
        }
        let series = inspection.series
        out += "\n== series: \(series.dumps) dump\(series.dumps == 1 ? "" : "s")"
        if series.dumps > 1, let span = series.span { out += " over \(Self.format(span)) s" }
        out += "\n"
        if series.dumps > 1 {
            out += "   did not move from the first dump to the last: \(series.unmovedThroughout.count) busy threads"
            if !series.unmovedThroughout.isEmpty {
                out += " (" + series.unmovedThroughout.prefix(8).map { "\"\(p($0))\"" }.joined(separator: ", ")
                    + (series.unmovedThroughout.count > 8 ? ", …" : "") + ")"
            }
            out += "\n   appeared: \(series.appeared), vanished: \(series.vanished)\n"
        }
        if series.causes.isEmpty {
            out += "   causes: none\n"
        } else {
            out += "   causes: " + series.causes.map { "\($0.cause) (\($0.dumps) dump\($0.dumps == 1 ? "" : "s"))" }.joined(separator: ", ") + "\n"
        }
        for diagnostic in inspection.diagnostics { out += "\(p(diagnostic.description))\n" }
        return out
    }

    /// One node of a blocking tree and its children, indented by depth.
    private func tree(_ node: BlockingTree.Node, depth: Int) -> String {
        let indent = String(repeating: "  ", count: depth + 2) + (depth == 0 ? " " : " └ ")
        var line = indent + "\"\(p(node.thread))\" (\(p(node.activity)))"
        if node.blockedBehind > 0 { line += "  \(node.blockedBehind) blocked behind it" }
        var out = line + "\n"
        for child in node.children { out += tree(child, depth: depth + 1) }
        let hidden = node.children.reduce(0) { $0 + 1 + $1.blockedBehind }
        if node.blockedBehind > hidden, !node.children.isEmpty {
            out += String(repeating: "  ", count: depth + 3) + " … \(node.blockedBehind - hidden) more\n"
        }
        return out
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
