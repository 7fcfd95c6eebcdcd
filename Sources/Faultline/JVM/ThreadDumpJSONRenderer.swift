import FaultlineCore

/// Renders a `ThreadDumpInspection` as the `faultline.jstack/1` JSON document,
/// escaping every string so it can be embedded in HTML.
public struct ThreadDumpJSONRenderer {
    public init() {}

    public func render(_ inspection: ThreadDumpInspection) -> String {
        var inputs: [JSONValue] = []
        for input in inspection.inputs {
            inputs.append(.object([("path", .string(input.path)), ("format", .string(input.format)), ("dumps", .int(input.dumps))]))
        }
        let dumps: [JSONValue] = inspection.dumps.map { dump in
            var fields: [(String, JSONValue)] = [
                ("input", .string(dump.path)), ("line", .int(dump.line)), ("index", .int(dump.index)),
                ("position", .int(dump.position)), ("form", .string(dump.form)),
                ("jvm", dump.jvm.map(JSONValue.string) ?? .null),
                ("time", dump.time.map { .string(Timestamp.formatRFC3339($0)) } ?? .null),
                ("time_source", .string(dump.timeExplanation)),
                ("threads", .int(dump.threads)),
                ("states", .object(dump.states.map { ($0.state, JSONValue.int($0.count)) })),
                ("without_state", .object(dump.stateless.map { ($0.word, JSONValue.int($0.count)) })),
                ("virtual_threads", .int(dump.virtualThreads)),
                ("held_locks", .int(dump.heldLocks)),
            ]
            fields.append(("locks", .array(dump.locks.map { lock in
                .object([("lock", .string(lock.lock)), ("owner", lock.owner.map(JSONValue.string) ?? .null),
                         ("owner_activity", lock.ownerActivity.map(JSONValue.string) ?? .null),
                         ("waiters", .int(lock.waiters)), ("waiter_names", .array(lock.waiterNames.map(JSONValue.string)))])
            })))
            func treeNode(_ node: BlockingTree.Node) -> JSONValue {
                .object([("thread", .string(node.thread)), ("activity", .string(node.activity)),
                         ("awaits", node.awaits.map(JSONValue.string) ?? .null), ("blocked_behind", .int(node.blockedBehind)),
                         ("waiters", .array(node.children.map(treeNode)))])
            }
            fields.append(("blocking_tree", .array(dump.blockingTree.roots.map(treeNode))))
            fields.append(("unmoved_threads", .array(dump.unmovedThreads.map { thread in
                .object([("thread", .string(thread.thread)), ("dumps", .int(thread.dumps)),
                         ("seconds", thread.seconds.map(JSONValue.double) ?? .null),
                         ("cpu_ms", thread.cpuMilliseconds.map(JSONValue.double) ?? .null),
                         ("cpu_share", thread.cpuShare.map(JSONValue.double) ?? .null),
                         ("activity", .string(thread.activity))])
            })))
            fields.append(("jvm_deadlock_sections", .int(dump.jvmDeadlocks)))
            fields.append(("deadlocks", .array(dump.cycles.map { cycle in
                .object([("cycle", .string(cycle.text)), ("threads", .array(cycle.threads.map(JSONValue.string))),
                         ("reported_by_jvm", .bool(cycle.reportedByJVM)), ("found_in_lock_graph", .bool(cycle.foundInGraph))])
            })))
            fields.append(("groups", .array(dump.groups.map { group in
                .object([("count", .int(group.count)), ("state", group.state.map(JSONValue.string) ?? .null),
                         ("activity", .string(group.activity)), ("frame", group.frame.map(JSONValue.string) ?? .null),
                         ("threads", .array(group.names.map(JSONValue.string)))])
            })))
            fields.append(("findings", .array(dump.findings.map { finding in
                .object([("cause", .string(finding.cause)), ("confidence", .double(finding.confidence)),
                         ("summary", .string(finding.summary)), ("line", finding.line.map(JSONValue.int) ?? .null),
                         ("subjects", .object(finding.subjects.map { ($0.key, JSONValue.string($0.value)) }))])
            })))
            if let unmoved = dump.unmoved {
                fields.append(("since_previous", .object([
                    ("unmoved", .int(unmoved)), ("appeared", .int(dump.appearedCount)), ("vanished", .int(dump.vanishedCount)),
                    ("appeared_names", .array(dump.appeared.map(JSONValue.string))),
                    ("vanished_names", .array(dump.vanished.map(JSONValue.string))),
                ])))
            }
            return .object(fields)
        }
        let series = inspection.series
        let seriesValue = JSONValue.object([
            ("dumps", .int(series.dumps)),
            ("first_time", series.firstTime.map { .string(Timestamp.formatRFC3339($0)) } ?? .null),
            ("last_time", series.lastTime.map { .string(Timestamp.formatRFC3339($0)) } ?? .null),
            ("span_seconds", series.span.map(JSONValue.double) ?? .null),
            ("unmoved_throughout", .array(series.unmovedThroughout.map(JSONValue.string))),
            ("appeared", .int(series.appeared)), ("vanished", .int(series.vanished)),
            ("causes", .object(series.causes.map { ($0.cause, JSONValue.int($0.dumps)) })),
        ])
        let diagnostics: [JSONValue] = inspection.diagnostics.map { d in
            .object([("code", .string(d.code)), ("severity", .string(d.severity.name)), ("message", .string(d.message)),
                     ("input", .string(d.input)), ("line", d.line.map(JSONValue.int) ?? .null),
                     ("byte_offset", d.byteOffset.map(JSONValue.int) ?? .null)])
        }
        let root = JSONValue.object([
            ("schema", .string(ThreadDumpInspection.schema)), ("time_zone", .string(inspection.timeZone)),
            ("inputs", .array(inputs)), ("dumps", .array(dumps)), ("series", seriesValue), ("diagnostics", .array(diagnostics)),
        ])
        var out = ""
        root.write(to: &out, indent: 0)
        return out + "\n"
    }
}
