import Foundation
import Testing
import FaultlineDecode

/// Hazelcast's test runners' dump form (`"name" ` alone, the lock and its owner on the state
/// line). The real pastes are in the dumps corpus; the lock cycle here is written by hand in
/// the same form, since the pasted fragments show only idle threads.
@Suite("Hazelcast thread dumps")
struct HazelcastDumpTests {
    static let deadlock = """
    "hz.node-1.partition-operation.thread-0" \("")
    \tjava.lang.Thread.State: BLOCKED, on lock=java.lang.Object@1b6d3586, owned by hz.node-1.partition-operation.thread-1, id=31, cpu=52000000 nsecs, usr=40000000 nsecs, blocked=61234 msecs, waited=0 msecs
    \t\tat com.example.MapStoreA.store(MapStoreA.java:41)
    \t\tat com.hazelcast.spi.impl.operationexecutor.impl.OperationThread.run(OperationThread.java:97)

    "hz.node-1.partition-operation.thread-1" \("")
    \tjava.lang.Thread.State: BLOCKED, on lock=java.lang.Object@4554617c, owned by hz.node-1.partition-operation.thread-0, id=30, cpu=48000000 nsecs, usr=30000000 nsecs, blocked=61230 msecs, waited=0 msecs
    \t\tat com.example.MapStoreB.store(MapStoreB.java:17)
    \t\tat com.hazelcast.spi.impl.operationexecutor.impl.OperationThread.run(OperationThread.java:97)

    """

    @Test("two operation threads each BLOCKED on the lock the other owns, by name: a deadlock, in every chunking")
    func ownerByName() throws {
        for chunk in [1 << 20, 64, 5] {
            let (dumps, diagnostics) = JstackSupport.read(Array(Self.deadlock.utf8), chunk: chunk)
            #expect(diagnostics.isEmpty)
            let analysed = try #require(dumps.first)
            #expect(analysed.dump.form == .hazelcast)
            #expect(analysed.dump.threads.map(\.name) == ["hz.node-1.partition-operation.thread-0", "hz.node-1.partition-operation.thread-1"])
            #expect(analysed.dump.threads.map(\.state) == [.blocked, .blocked])
            #expect(analysed.dump.threads.first?.cpuMilliseconds == 52)
            #expect(analysed.dump.threads.first?.frames.count == 2)
            let finding = try #require(analysed.analysis.findings.first)
            #expect(finding.cause == "jvm_deadlock")
            #expect(finding.subjects["threads"] == "2" && finding.subjects["thread"] == "hz.node-1.partition-operation.thread-0")
        }
    }

    @Test("the pasted fragments: names, states and the lock each idle thread waits on")
    func pastedFragments() throws {
        let folder = ThreadDumpCorpusTests.folder
        let idle = JstackSupport.read(JstackSupport.bytes(folder.appendingPathComponent("issue__hazelcast-8078-test-runner-idle-operation-thread.txt"))).dumps
        let thread = try #require(idle.first?.dump.threads.first)
        #expect(thread.name == "hz._hzInstance_73_dev.generic-operation.thread-4")
        #expect(thread.state == .waiting && thread.frames.count == 6)
        #expect(thread.locks.first?.lock?.description == "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@67f2fb88")
        #expect(idle.first?.analysis.findings.isEmpty == true)
        let sleepers = JstackSupport.read(JstackSupport.bytes(folder.appendingPathComponent("issue__hazelcast-4718-test-runner-sleepers.txt"))).dumps
        #expect(sleepers.first?.dump.threads.map(\.state) == [.timedWaiting, .timedWaiting])
    }
}
