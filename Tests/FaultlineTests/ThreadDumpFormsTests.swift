import Foundation
import Testing
import Faultline
import FaultlineDecode
import FaultlineInput

/// The dump forms and pastes beside HotSpot's plain `jstack`: UTF-16 files, quoted and
/// log-prefixed pastes, javacore, JRockit, `ThreadInfo.toString()`, VisualVM and
/// `jstack -F`, each read in every chunking; and the hangs that are not lock cycles.
/// Files come from `Corpus/dumps` (see its README); the edge cases built here say what
/// they change in a real file.
@Suite("Thread dumps: other forms and pastes")
struct ThreadDumpFormsTests {
    static func corpus(_ file: String) -> [UInt8] {
        ThreadDumpCorpusTests.bytes(ThreadDumpCorpusTests.folder.appendingPathComponent(file).path)
    }

    static func analyze(_ bytes: [UInt8], name: String = "paste.txt") -> Report {
        Analyzer(knowledge: TestSupport.knowledge).analyze(sources: [InputSource.bytes(name: name, bytes)])
    }

    static func utf16(_ text: String, bigEndian: Bool, mark: Bool) -> [UInt8] {
        var out: [UInt8] = mark ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8), low = UInt8(unit & 0xFF)
            out += bigEndian ? [high, low] : [low, high]
        }
        return out
    }

    /// Everything an input reader hands out, read into buffers of `size` bytes.
    static func readAll(_ reader: InputReader, size: Int) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: size)
        while true {
            let n = buffer.withUnsafeMutableBytes { (try? reader.read(into: $0)) ?? 0 }
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    @Test("UTF-16 with or without a byte-order mark, either byte order, reads as its UTF-8 text in any buffer size",
          arguments: [(false, true), (true, true), (false, false)])
    func utf16Input(_ variant: (bigEndian: Bool, mark: Bool)) throws {
        // A real dump's first lines, with a thread name in Korean and one outside the BMP (a surrogate pair).
        let text = String(decoding: Self.corpus("tda__java21dump.log").prefix(2000), as: UTF8.self)
            + "\"작업자-1 🧵\" #99 prio=5 os_prio=0 tid=0x1 nid=0x2 runnable\n"
        let encoded = Self.utf16(text, bigEndian: variant.bigEndian, mark: variant.mark)
        for size in [1, 3, 64, 1 << 16] {
            let reader = try InputReader(name: "dump.txt", bytes: encoded, rawChunkSize: 7)
            #expect(reader.isUTF16)
            #expect(String(decoding: Self.readAll(reader, size: size), as: UTF8.self) == text, "buffer \(size)")
        }
    }

    @Test("UTF-8 text and binary junk are not mistaken for UTF-16")
    func notUTF16() throws {
        let dump = Self.corpus("tda__java21dump.log")
        #expect(try InputReader(name: "a", bytes: dump).isUTF16 == false)
        let junk: [UInt8] = (0..<256).map { UInt8($0) }
        #expect(try InputReader(name: "b", bytes: junk).isUTF16 == false)
    }

    @Test("the UTF-16 dump of TDA is analysed like its UTF-8 twin")
    func utf16DumpAnalysed() {
        let report = TestSupport.analyze([ThreadDumpCorpusTests.folder.appendingPathComponent("tda__java21dump_utf16.log").path])
        #expect(report.inputs.first?.format == "jstack")
        #expect(report.verdict == .success)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    }

    /// The Windows paste of a deadlock (`qinchy-mytest`), its lines changed by `transform`.
    static func deadlockPaste(_ transform: (String) -> String) -> [UInt8] {
        let text = String(decoding: corpus("qinchy-mytest__deadlock-demo-readme.md"), as: UTF8.self)
        return Array(text.split(separator: "\n", omittingEmptySubsequences: false).map { transform(String($0)) }
            .joined(separator: "\n").utf8)
    }

    @Test("a deadlock quoted in a Markdown reply, indented as code, prefixed by a logger, or with CRLF line ends",
          arguments: ["> ", "    ", "2024-05-01 10:00:00,123 INFO  [stdout] ", "crlf"])
    func pastedDeadlock(_ prefix: String) throws {
        let bytes = Self.deadlockPaste { line in prefix == "crlf" ? line + "\r" : prefix + line }
        for chunk in [1, 13, 1 << 20] {
            let (dumps, _) = JstackSupport.read(bytes, chunk: chunk)
            let dump = try #require(dumps.first, "chunk \(chunk)")
            #expect(dumps.count == 1)
            #expect(dump.dump.threads.count == 22, "chunk \(chunk)")
            let cycle = try #require(dump.analysis.cycles.first)
            #expect(Set(cycle.threads.map { dump.dump.threads[$0].name }) == ["Thread-0", "Thread-1"])
            #expect(cycle.reportedByJVM && cycle.foundInGraph)
        }
        #expect(Self.analyze(bytes).hypotheses.first?.cause == "jvm_deadlock")
    }

    /// The same analysis whatever the chunking: forms, threads, lock owners and findings.
    @Test("every other form reads the same in every chunking", arguments: [
        "dumpling__jrockit-1.6.log", "openj9-docs__javacore-deadlock.txt", "openj9-docs__javacore-lock-held-while-sleeping.txt",
        "issue__javamelody-203-threadinfo-wrapped.txt", "issue__openj9-4858-jstack-log-prefix.txt", "tda__visualvmremote.log",
        "issue__schema-repo-47-jstack-f-thread.txt", "ljx213101212__TASK_2.md", "issue__geode-3114-executor-rule-deadlock.txt",
    ])
    func chunking(_ file: String) {
        let bytes = Self.corpus(file)
        func fingerprint(_ chunk: Int) -> [String] {
            JstackSupport.read(bytes, chunk: chunk).dumps.map { analysed in
                let dump = analysed.dump
                return "\(dump.form.rawValue) \(dump.threads.map(\.name)) \(dump.threads.map(\.state)) "
                    + "\(analysed.analysis.graph.owners.count) \(analysed.analysis.findings.map { $0.cause + $0.summary })"
            }
        }
        let whole = fingerprint(1 << 20)
        #expect(!whole.isEmpty)
        for chunk in [1, 2, 5, 64] { #expect(fingerprint(chunk) == whole, "chunk \(chunk)") }
    }

    @Test("JRockit: slash-separated frames are dotted, lock lines give holders and waiters")
    func jrockit() throws {
        let (dumps, diagnostics) = JstackSupport.read(Self.corpus("dumpling__jrockit-1.6.log"))
        #expect(diagnostics.isEmpty)
        let dump = try #require(dumps.first)
        #expect(dump.dump.form == .jrockit)
        #expect(dump.dump.jvm?.hasPrefix("BEA JRockit(R) R27.6.5") == true)
        let main = try #require(dump.dump.threads.first { $0.name == "Main Thread" })
        #expect(main.state == .waiting)
        #expect(dump.dump.frames[main.frames[1]] == "java.lang.Object.wait(Native Method)")
        // `-- Waiting for notification on: java/lang/UNIXProcess@0x7b483a0[fat lock]` then `^-- Lock released while waiting`.
        #expect(main.locks.first?.kind == .waitingOn)
        #expect(main.locks.first?.lock?.className == "java.lang.UNIXProcess")
        #expect(main.heldMonitors.isEmpty)
        #expect(dump.analysis.activities[dump.dump.threads.firstIndex { $0.name == "Main Thread" } ?? 0].kind == .waiting)
    }

    @Test("javacore: the JVM's deadlock cycle and the lock graph agree; LOCKS waiters become threads")
    func javacore() throws {
        let dump = try #require(JstackSupport.read(Self.corpus("openj9-docs__javacore-deadlock.txt")).dumps.first)
        #expect(dump.dump.form == .javacore)
        #expect(dump.dump.jvmDeadlocks.count == 1)
        #expect(dump.dump.jvmDeadlocks.first?.entries.map(\.thread) == ["Worker Thread 2", "Worker Thread 3", "Worker Thread 1"])
        let cycle = try #require(dump.analysis.cycles.first)
        #expect(cycle.reportedByJVM && cycle.foundInGraph)
        let worker = try #require(dump.dump.threads.first { $0.name == "Worker Thread 1" })
        #expect(worker.javaID == 0x13)
        #expect(worker.cpuMilliseconds.map { abs($0 - 4.365543) < 0.001 } == true)
        #expect(dump.dump.frames[worker.frames[0]] == "WorkerThread.run(DeadLockTest.java:35)")

        let hang = try #require(JstackSupport.read(Self.corpus("openj9-docs__javacore-lock-held-while-sleeping.txt")).dumps.first)
        let finding = try #require(hang.analysis.findings.first)
        #expect(finding.cause == JVMFinding.contention)
        #expect(finding.subjects["owner"] == "Worker Thread 0")
        #expect(finding.subjects["threads"] == "19")
        #expect(finding.summary.contains("sleeps while holding the lock"))
    }

    @Test("ThreadInfo.toString(): the lock in the header, its owner named there, the wrapped header")
    func threadInfo() throws {
        let dump = try #require(JstackSupport.read(Self.corpus("issue__javamelody-203-threadinfo-wrapped.txt")).dumps.first)
        #expect(dump.dump.form == .threadInfo)
        let blocked = try #require(dump.dump.threads.first { $0.name == "mythread-4" })
        #expect(blocked.javaID == 13)
        #expect(blocked.state == .blocked)
        #expect(blocked.awaitedLock?.description == "java.lang.Object@32a88bc2")
        let awaited = try #require(blocked.awaitedLock)
        let owner = try #require(dump.analysis.graph.owners[awaited])
        #expect(dump.dump.threads[owner].name == "mythread-0")
        #expect(dump.dump.threadsFromDeadlockSection == 1)
        #expect(dump.analysis.findings.isEmpty, "one waiter is not contention")
    }

    @Test("jstack -F: threads by OS id, frames without @bci, and a failed attach that reads no thread")
    func serviceabilityAgent() throws {
        let dump = try #require(JstackSupport.read(Self.corpus("issue__schema-repo-47-jstack-f-thread.txt")).dumps.first)
        #expect(dump.dump.form == .serviceabilityAgent)
        let thread = try #require(dump.dump.threads.first)
        #expect(thread.name == "Thread 8252")
        #expect(thread.frames.count == 10)
        #expect(dump.dump.frames[thread.frames[1]] == "java.lang.Object.wait() @bci=2, line=503")
        #expect(dump.analysis.activities[0].kind == .waiting)

        let failed = TestSupport.analyze([ThreadDumpCorpusTests.folder.appendingPathComponent("issue__sbt-4938-jstack-f-failed.txt").path])
        #expect(failed.verdict == .unknown)
        let diagnostic = try #require(failed.diagnostics.first { $0.code == "jstack.no-dump" })
        #expect(diagnostic.message.contains("Full thread dump") && diagnostic.message.contains("3XMTHREADINFO"))
    }

    /// Two HotSpot dumps ten seconds apart, built from a real JDK 21 dump's header lines.
    static func spinDumps(spinnerCPU: (Double, Double), idleCPU: (Double, Double)) -> [UInt8] {
        func dump(_ time: String, _ elapsed: Double, _ spinner: Double, _ idle: Double) -> String {
            """
            \(time)
            Full thread dump OpenJDK 64-Bit Server VM (21.0.2+13-LTS mixed mode, sharing):

            "spinner" #31 [4711] prio=5 os_prio=0 cpu=\(spinner)ms elapsed=\(elapsed)s tid=0x00007f8b2c158000 nid=4711 runnable  [0x00007f8b234f5000]
               java.lang.Thread.State: RUNNABLE
            \tat com.acme.Poller.awaitFlag(Poller.java:41)
            \tat com.acme.Poller.run(Poller.java:20)
            \tat java.lang.Thread.run(java.base@21.0.2/Thread.java:1583)

            "worker" #32 [4712] prio=5 os_prio=0 cpu=\(idle)ms elapsed=\(elapsed)s tid=0x00007f8b2c159000 nid=4712 runnable  [0x00007f8b233f4000]
               java.lang.Thread.State: RUNNABLE
            \tat com.acme.Report.render(Report.java:88)
            \tat java.lang.Thread.run(java.base@21.0.2/Thread.java:1583)

            JNI global refs: 10, weak refs: 0

            """
        }
        return Array((dump("2026-01-23 21:50:00", 300, spinnerCPU.0, idleCPU.0) + dump("2026-01-23 21:50:10", 310, spinnerCPU.1, idleCPU.1)).utf8)
    }

    @Test("CPU spin: cpu= growing by the time between two dumps names the thread; a thread that works now and then does not")
    func cpuSpin() throws {
        let (dumps, _) = JstackSupport.read(Self.spinDumps(spinnerCPU: (120_000, 129_800), idleCPU: (3_000, 3_400)))
        #expect(dumps.count == 2)
        #expect(dumps[0].analysis.findings.isEmpty, "one dump: 40% of its life on the CPU is not a spin")
        let finding = try #require(dumps[1].analysis.findings.first { $0.cause == JVMFinding.cpuSpin })
        #expect(finding.threads.map { dumps[1].dump.threads[$0].name } == ["spinner"])
        #expect(finding.subjects["cpu_share"] == "98%")
        #expect(finding.subjects["frame"] == "com.acme.Poller.awaitFlag(Poller.java:41)")
        #expect(finding.confidence > 0.8)
        let step = try #require(dumps[1].analysis.step)
        #expect(step.cpuGrowth[0]?.milliseconds == 9_800)
        #expect(step.cpuGrowth[0]?.seconds == 10)

        let calm = JstackSupport.read(Self.spinDumps(spinnerCPU: (120_000, 121_000), idleCPU: (3_000, 3_400))).dumps
        #expect(calm.allSatisfy { $0.analysis.findings.isEmpty })
    }

    @Test("faultline jstack: the threads that did not move, with their CPU use between the dumps")
    func unmovedWithCPU() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-spin-\(ProcessInfo.processInfo.processIdentifier).txt")
        try Data(Self.spinDumps(spinnerCPU: (120_000, 129_800), idleCPU: (3_000, 3_400))).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let text = ThreadDumpTextRenderer().render(ThreadDumpInspector().inspect(paths: [url.path]))
        #expect(text.contains("did not move:\n     \"spinner\"  2 dumps, 10 s, cpu +9800 ms (98% of a core)"), "\(text)")
        #expect(text.contains("jvm_cpu_spin"))
    }

    @Test("faultline jstack: lock owners with their waiters as a tree, a blocking chain from its root")
    func blockingTree() throws {
        let path = ThreadDumpCorpusTests.folder.appendingPathComponent("dumpling__blocking-chain.log").path
        let inspection = ThreadDumpInspector().inspect(paths: [path])
        let tree = try #require(inspection.dumps.first?.blockingTree)
        #expect(tree.roots.count == 1)
        var chain: [String] = []
        var node = tree.roots.first
        while let current = node {
            chain.append(current.thread)
            node = current.children.first
        }
        #expect(chain == ["blocking0", "blocking1", "root", "blocked1", "blocked0"])
        #expect(tree.roots.first?.blockedBehind == 4)
        let text = ThreadDumpTextRenderer().render(inspection)
        #expect(text.contains("lock owners and their waiters:\n     \"blocking0\" (TIMED_WAITING, sleeping"), "\(text)")
        #expect(text.contains("\n       └ \"blocking1\" (BLOCKED, waiting for a lock"))
    }

    @Test("a shutdown hang is a pool left running after main; a server kept alive after main is not")
    func shutdown() throws {
        let report = TestSupport.analyze([ThreadDumpCorpusTests.folder.appendingPathComponent("issue__jbang-2524-shutdown-hang.txt").path])
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "jvm_shutdown_hang")
        #expect(top.subjects["thread"] == "pool-1-thread-1")
        // The same paste with the worker swapped for a non-daemon acceptor thread (Tomcat's, from a real JDK 8 dump).
        let server = """
        "http-nio-8080-Acceptor-0" #57 prio=5 os_prio=31 tid=0x00007f97c4e2a000 nid=0x7f03 runnable [0x000070001390d000]
           java.lang.Thread.State: RUNNABLE
        \tat sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)
        \tat sun.nio.ch.ServerSocketChannelImpl.accept(ServerSocketChannelImpl.java:422)
        \tat org.apache.tomcat.util.net.NioEndpoint.serverSocketAccept(NioEndpoint.java:455)
        \tat org.apache.tomcat.util.net.Acceptor.run(Acceptor.java:95)
        \tat java.lang.Thread.run(Thread.java:748)

        "DestroyJavaVM" #60 prio=5 os_prio=31 tid=0x00007f97cab7e800 nid=0x2403 waiting on condition [0x0000000000000000]
           java.lang.Thread.State: RUNNABLE

        """
        let (dumps, _) = JstackSupport.read(Array(server.utf8))
        #expect(dumps.first?.dump.threads.count == 2)
        #expect(dumps.first?.analysis.findings.isEmpty == true)
    }

    /// A worker of `pool` in the shape of a real JDK 17 dump (the frames of `ThreadPoolExecutor`), with `top` lines above its loop.
    static func worker(_ name: String, id: Int, state: String, _ top: String) -> String {
        """
        "\(name)" #\(id) prio=5 os_prio=0 cpu=10.00ms elapsed=60.00s tid=0x00007f00000\(id) nid=0x\(id) waiting  [0x0000000000000000]
           java.lang.Thread.State: \(state)
        \(top)
        \tat java.util.concurrent.ThreadPoolExecutor.runWorker(java.base@17.0.15/ThreadPoolExecutor.java:1136)
        \tat java.util.concurrent.ThreadPoolExecutor$Worker.run(java.base@17.0.15/ThreadPoolExecutor.java:635)
        \tat java.lang.Thread.run(java.base@17.0.15/Thread.java:833)


        """
    }

    @Test("a deadlock through a pool: the lock holder waits for a future while every worker of the pool is blocked on its lock")
    func deadlockThroughPool() throws {
        let blocked = """
        \tat com.acme.Cache.refresh(Cache.java:40)
        \t- waiting to lock <0x000000069ec1b380> (a com.acme.Cache)
        \tat com.acme.Cache$$Lambda$41/0x0000000800c0b000.run(Unknown Source)
        \tat java.util.concurrent.FutureTask.run(java.base@17.0.15/FutureTask.java:264)
        """
        var text = """
        "main" #1 prio=5 os_prio=0 cpu=400.00ms elapsed=60.00s tid=0x00007f0000001 nid=0x1 waiting on condition  [0x0000000000000000]
           java.lang.Thread.State: WAITING (parking)
        \tat jdk.internal.misc.Unsafe.park(java.base@17.0.15/Native Method)
        \t- parking to wait for  <0x000000069ec19d70> (a java.util.concurrent.FutureTask)
        \tat java.util.concurrent.locks.LockSupport.park(java.base@17.0.15/LockSupport.java:211)
        \tat java.util.concurrent.FutureTask.awaitDone(java.base@17.0.15/FutureTask.java:447)
        \tat java.util.concurrent.FutureTask.get(java.base@17.0.15/FutureTask.java:190)
        \tat com.acme.Cache.reload(Cache.java:28)
        \t- locked <0x000000069ec1b380> (a com.acme.Cache)
        \tat com.acme.Main.main(Main.java:12)


        """
        for n in 1...3 { text += Self.worker("refresh-\(n)", id: 20 + n, state: "BLOCKED (on object monitor)", blocked) }
        let dump = try #require(JstackSupport.read(Array(text.utf8)).dumps.first)
        let finding = try #require(dump.analysis.findings.first)
        #expect(finding.cause == JVMFinding.deadlock)
        #expect(finding.subjects["thread"] == "main")
        #expect(finding.subjects["pool"] == "refresh")
        #expect(finding.subjects["threads"] == "4")
        #expect(finding.summary.contains("inferred"))
        #expect(!dump.analysis.findings.contains { $0.cause == JVMFinding.contention }, "the lock's waiters are the deadlock's")

        // One worker idle in getTask: the pool can still run the task, so nothing is stuck for good.
        let idle = """
        \tat jdk.internal.misc.Unsafe.park(java.base@17.0.15/Native Method)
        \t- parking to wait for  <0x000000069ec1a000> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)
        \tat java.util.concurrent.LinkedBlockingQueue.take(java.base@17.0.15/LinkedBlockingQueue.java:435)
        \tat java.util.concurrent.ThreadPoolExecutor.getTask(java.base@17.0.15/ThreadPoolExecutor.java:1062)
        """
        let healthier = text + Self.worker("refresh-4", id: 30, state: "WAITING (parking)", idle)
        let other = try #require(JstackSupport.read(Array(healthier.utf8)).dumps.first)
        #expect(!other.analysis.findings.contains { $0.cause == JVMFinding.deadlock })
    }

    @Test("a read lock's holder is inferred from who runs the guarded code, and said to be inferred")
    func readLockHolderInferred() throws {
        // dumpling's read-lock blockage with the "Locked ownable synchronizers" of the holder removed (plain jstack, no -l),
        // and two more threads parked on the same lock.
        var text = String(decoding: Self.corpus("dumpling__ReentrantReadWriteLock-parking-blockage-read.log"), as: UTF8.self)
        text = text.replacingOccurrences(of: "\t- <0x000000071c221578> (a java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync)", with: "\t- None")
        let main = try #require(text.range(of: "\"main\" #1"))
        let block = String(text[main.lowerBound...].prefix { _ in true }.split(separator: "\n\n", maxSplits: 1)[0])
        text += "\n" + block.replacingOccurrences(of: "\"main\" #1", with: "\"reader-2\" #41") + "\n\n"
            + block.replacingOccurrences(of: "\"main\" #1", with: "\"reader-3\" #42") + "\n\n"
        let dump = try #require(JstackSupport.read(Array(text.utf8)).dumps.first)
        let finding = try #require(dump.analysis.findings.first { $0.cause == JVMFinding.contention })
        #expect(finding.subjects["owner"] == "Thread-1")
        #expect(finding.subjects["owner_inferred"] == "true")
        #expect(finding.summary.contains("inferred holder"))
    }

    @Test("virtual threads pinned by Object.wait (a native frame) on every carrier starve the scheduler")
    func pinnedInNativeWait() throws {
        // Carriers in the JDK 25 form of parttimenerd's many-virtual-threads dump, their virtual threads in Object.wait().
        func carrier(_ n: Int) -> String {
            """
            "ForkJoinPool-1-worker-\(n)" #\(20 + n) [\(15280 + n)] daemon prio=5 os_prio=0 cpu=1477.88ms elapsed=3.27s tid=0x00007f18c80e73\(n)0  [0x00007f186fffd000]
               Carrying virtual thread #\(40 + n)
            \tat jdk.internal.vm.Continuation.run(java.base@25/Continuation.java:251)
            \tat java.lang.VirtualThread.runContinuation(java.base@25/VirtualThread.java:245)
            \tat java.util.concurrent.ForkJoinPool.runWorker(java.base@25/ForkJoinPool.java:1964)
            \tat java.util.concurrent.ForkJoinWorkerThread.run(java.base@25/ForkJoinWorkerThread.java:186)
               Mounted virtual thread #\(40 + n)
            \tat java.lang.Object.wait0(java.base@25/Native Method)
            \tat java.lang.Object.wait(java.base@25/Object.java:389)
            \tat com.acme.Legacy.await(Legacy.java:17)
            \t- waiting on <0x000000057372ee3\(n)> (a java.lang.Object)
            \tat java.lang.VirtualThread.run(java.base@25/VirtualThread.java:466)


            """
        }
        let (dumps, _) = JstackSupport.read(Array((carrier(1) + carrier(2)).utf8))
        let finding = try #require(dumps.first?.analysis.findings.first { $0.cause == JVMFinding.carrierStarvation })
        #expect(finding.subjects["carriers"] == "2")
        #expect(finding.summary.contains("pinned in java.lang.Object.wait0(java.base@25/Native Method)"), "\(finding.summary)")
    }
}
