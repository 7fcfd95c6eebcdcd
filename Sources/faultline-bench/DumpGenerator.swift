#if canImport(Glibc)
import Glibc
#endif

/// Writes a realistic `jstack -l` dump (JDK 17 form) of many threads: idle pool
/// workers, request threads, CPU work, sleepers, threads BLOCKED behind a few
/// hot monitors whose owners sleep, HTTP client reads, DNS lookups, one
/// deadlock, VM threads and the trailer. Deterministic for a given size.
struct DumpGenerator {
    var threads: Int
    private var seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(threads: Int) { self.threads = threads }

    private mutating func next(_ bound: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((seed >> 33) % UInt64(max(1, bound)))
    }

    private static let packages = ["com.acme.orders", "com.acme.billing", "com.acme.catalog", "com.acme.search", "com.acme.auth",
                                   "com.acme.shipping", "com.acme.reports", "com.acme.inventory"]
    private static let classes = ["Service", "Repository", "Controller", "Mapper", "Client", "Handler", "Validator", "Cache", "Job", "Gateway"]
    private static let methods = ["handle", "process", "load", "save", "compute", "render", "lookup", "apply", "merge", "validate"]

    private mutating func appFrames(_ count: Int) -> [String] {
        (0..<count).map { _ in
            let pkg = Self.packages[next(Self.packages.count)]
            let cls = Self.classes[next(Self.classes.count)]
            let method = Self.methods[next(Self.methods.count)]
            return "\tat \(pkg).\(cls).\(method)(\(cls).java:\(20 + next(400)))"
        }
    }

    /// `0x` and `value` in hex, zero-padded to `digits` (0: no padding).
    static func hex(_ digits: Int, _ value: Int) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private static func jdk(_ frame: String) -> String {
        // "java.util.concurrent.ThreadPoolExecutor.runWorker|ThreadPoolExecutor.java:1136" → a JDK 17 frame.
        let parts = frame.split(separator: "|")
        return "\tat \(parts[0])(java.base@17.0.15/\(parts.count > 1 ? parts[1] : "Native Method"))"
    }

    private static let workerTail = ["java.util.concurrent.ThreadPoolExecutor.runWorker|ThreadPoolExecutor.java:1136",
                                     "java.util.concurrent.ThreadPoolExecutor$Worker.run|ThreadPoolExecutor.java:635",
                                     "java.lang.Thread.run|Thread.java:833"].map(jdk)

    func write(to path: String) -> Bool {
        var generator = self
        guard let file = fopen(path, "w") else { return false }
        defer { fclose(file) }
        func put(_ text: String) { fputs(text, file) }
        put("2026-11-26 04:30:00\nFull thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):\n\n")
        put("Threads class SMR info:\n_java_thread_list=0x00007f5e28001f70, length=\(threads), elements={\n")
        var row: [String] = []
        for index in 0..<threads {
            row.append(Self.hex(16, 0x7f5e_2800_0000 + index * 0x1000))
            if row.count == 4 || index == threads - 1 {
                put(row.joined(separator: ", ") + (index == threads - 1 ? "\n" : ",\n"))
                row.removeAll()
            }
        }
        put("}\n\n")
        let hotLocks = 5
        for index in 0..<threads {
            let id = index + 20
            let tid = Self.hex(16, 0x7f5e_2800_0000 + index * 0x1000)
            let nid = Self.hex(0, 0x1000 + index)
            func header(_ name: String, _ words: String, daemon: Bool = false) {
                put("\"\(name)\" #\(id) \(daemon ? "daemon " : "")prio=5 os_prio=0 cpu=\(generator.next(90000)).\(generator.next(99))ms "
                    + "elapsed=\(1000 + generator.next(9000)).\(generator.next(99))s tid=\(tid) nid=\(nid) \(words)  [0x00007f5e\(String(Self.hex(8, index).dropFirst(2)))]\n")
            }
            let kind: Int
            if index < 2 { kind = 100 } else if index < 2 + hotLocks { kind = 101 } else { kind = generator.next(100) }
            var owned = "\t- None\n"
            switch kind {
            case 100: // the deadlock pair
                let mine = Self.hex(16, 0x6_9ec1_0000 + index * 0x10)
                let theirs = Self.hex(16, 0x6_9ec1_0000 + (1 - index) * 0x10)
                header("ledger-writer-\(index + 1)", "waiting for monitor entry")
                put("   java.lang.Thread.State: BLOCKED (on object monitor)\n")
                put("\tat com.acme.ledger.Ledger.post(Ledger.java:88)\n\t- waiting to lock <\(theirs)> (a com.acme.ledger.Account)\n")
                put("\tat com.acme.ledger.Ledger.transfer(Ledger.java:61)\n\t- locked <\(mine)> (a com.acme.ledger.Account)\n")
                for frame in generator.appFrames(6) { put(frame + "\n") }
                put(Self.jdk("java.lang.Thread.run|Thread.java:833") + "\n")
            case 101: // a hot monitor's owner, sleeping inside it
                let lock = Self.hex(16, 0x6_9ed0_0000 + (index - 2) * 0x40)
                header("catalog-refresher-\(index - 1)", "waiting on condition")
                put("   java.lang.Thread.State: TIMED_WAITING (sleeping)\n")
                put(Self.jdk("java.lang.Thread.sleep") + "\n")
                put("\tat com.acme.catalog.PriceCache.refresh(PriceCache.java:57)\n\t- locked <\(lock)> (a com.acme.catalog.PriceCache)\n")
                for frame in generator.appFrames(8) { put(frame + "\n") }
                put(Self.jdk("java.lang.Thread.run|Thread.java:833") + "\n")
            case 0..<40: // idle pool workers
                let sync = Self.hex(16, 0x6_a000_0000 + generator.next(64) * 0x100)
                header("pool-\(1 + index % 40)-thread-\(index)", "waiting on condition")
                put("   java.lang.Thread.State: WAITING (parking)\n")
                put(Self.jdk("jdk.internal.misc.Unsafe.park") + "\n")
                put("\t- parking to wait for  <\(sync)> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)\n")
                for frame in ["java.util.concurrent.locks.LockSupport.park|LockSupport.java:341",
                              "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode.block|AbstractQueuedSynchronizer.java:506",
                              "java.util.concurrent.ForkJoinPool.unmanagedBlock|ForkJoinPool.java:3465",
                              "java.util.concurrent.ForkJoinPool.managedBlock|ForkJoinPool.java:3436",
                              "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await|AbstractQueuedSynchronizer.java:1623",
                              "java.util.concurrent.LinkedBlockingQueue.take|LinkedBlockingQueue.java:435",
                              "java.util.concurrent.ThreadPoolExecutor.getTask|ThreadPoolExecutor.java:1062"] { put(Self.jdk(frame) + "\n") }
                for frame in Self.workerTail { put(frame + "\n") }
            case 40..<60: // request threads between requests
                header("http-nio-8080-exec-\(index)", "waiting on condition", daemon: true)
                put("   java.lang.Thread.State: WAITING (parking)\n")
                put(Self.jdk("jdk.internal.misc.Unsafe.park") + "\n")
                put("\t- parking to wait for  <0x000000069ee00000> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)\n")
                put(Self.jdk("java.util.concurrent.locks.LockSupport.park|LockSupport.java:341") + "\n")
                put(Self.jdk("java.util.concurrent.LinkedBlockingQueue.take|LinkedBlockingQueue.java:435") + "\n")
                put("\tat org.apache.tomcat.util.threads.TaskQueue.take(TaskQueue.java:117)\n")
                put(Self.jdk("java.util.concurrent.ThreadPoolExecutor.getTask|ThreadPoolExecutor.java:1062") + "\n")
                for frame in Self.workerTail { put(frame + "\n") }
            case 60..<70: // CPU work
                header("worker-\(index)", "runnable")
                put("   java.lang.Thread.State: RUNNABLE\n")
                for frame in generator.appFrames(12 + generator.next(14)) { put(frame + "\n") }
                for frame in Self.workerTail { put(frame + "\n") }
            case 70..<80: // sleepers in application loops
                header("scheduler-\(index)", "waiting on condition", daemon: true)
                put("   java.lang.Thread.State: TIMED_WAITING (sleeping)\n")
                put(Self.jdk("java.lang.Thread.sleep") + "\n")
                for frame in generator.appFrames(4) { put(frame + "\n") }
                put(Self.jdk("java.lang.Thread.run|Thread.java:833") + "\n")
            case 80..<88: // behind a hot monitor
                let lock = Self.hex(16, 0x6_9ed0_0000 + generator.next(hotLocks) * 0x40)
                header("http-nio-8080-exec-\(index)", "waiting for monitor entry", daemon: true)
                put("   java.lang.Thread.State: BLOCKED (on object monitor)\n")
                put("\tat com.acme.catalog.PriceCache.price(PriceCache.java:31)\n\t- waiting to lock <\(lock)> (a com.acme.catalog.PriceCache)\n")
                for frame in generator.appFrames(10) { put(frame + "\n") }
                for frame in Self.workerTail { put(frame + "\n") }
            case 88..<96: // HTTP client reads
                header("http-nio-8080-exec-\(index)", "runnable", daemon: true)
                put("   java.lang.Thread.State: RUNNABLE\n")
                for frame in ["sun.nio.ch.Net.poll", "sun.nio.ch.NioSocketImpl.park|NioSocketImpl.java:181",
                              "sun.nio.ch.NioSocketImpl.timedRead|NioSocketImpl.java:285", "sun.nio.ch.NioSocketImpl.implRead|NioSocketImpl.java:309",
                              "sun.nio.ch.NioSocketImpl.read|NioSocketImpl.java:350", "sun.nio.ch.NioSocketImpl$1.read|NioSocketImpl.java:803",
                              "java.net.Socket$SocketInputStream.read|Socket.java:966", "java.io.BufferedInputStream.fill|BufferedInputStream.java:244",
                              "java.io.BufferedInputStream.read1|BufferedInputStream.java:284", "java.io.BufferedInputStream.read|BufferedInputStream.java:343",
                              "sun.net.www.http.HttpClient.parseHTTPHeader|HttpClient.java:791", "sun.net.www.http.HttpClient.parseHTTP|HttpClient.java:722",
                              "sun.net.www.protocol.http.HttpURLConnection.getInputStream0|HttpURLConnection.java:1615",
                              "sun.net.www.protocol.http.HttpURLConnection.getInputStream|HttpURLConnection.java:1520"] { put(Self.jdk(frame) + "\n") }
                put("\t- locked <\(Self.hex(16, 0x6_b000_0000 + index * 0x20))> (a sun.net.www.protocol.http.HttpURLConnection)\n")
                for frame in generator.appFrames(10) { put(frame + "\n") }
                for frame in Self.workerTail { put(frame + "\n") }
            default: // name resolution
                header("http-nio-8080-exec-\(index)", "runnable", daemon: true)
                put("   java.lang.Thread.State: RUNNABLE\n")
                for frame in ["java.net.Inet6AddressImpl.lookupAllHostAddr", "java.net.InetAddress$PlatformNameService.lookupAllHostAddr|InetAddress.java:933",
                              "java.net.InetAddress.getAddressesFromNameService|InetAddress.java:1534",
                              "java.net.InetAddress$NameServiceAddresses.get|InetAddress.java:852",
                              "java.net.InetAddress.getAllByName0|InetAddress.java:1524", "java.net.InetAddress.getAllByName|InetAddress.java:1381",
                              "java.net.InetAddress.getAllByName|InetAddress.java:1305"] { put(Self.jdk(frame) + "\n") }
                for frame in generator.appFrames(10) { put(frame + "\n") }
                for frame in Self.workerTail { put(frame + "\n") }
                owned = "\t- <\(Self.hex(16, 0x6_c000_0000 + index * 0x20))> (a java.util.concurrent.ThreadPoolExecutor$Worker)\n"
            }
            put("\n   Locked ownable synchronizers:\n" + owned + "\n")
        }
        for (index, name) in ["VM Thread", "GC Thread#0", "GC Thread#1", "G1 Main Marker", "G1 Conc#0", "G1 Refine#0", "G1 Service",
                              "VM Periodic Task Thread"].enumerated() {
            put("\"\(name)\" os_prio=0 cpu=\(index * 7).12ms elapsed=9000.00s tid=0x00007f5e3000\(String(Self.hex(4, index).dropFirst(2))) nid=0x\(String(Self.hex(0, 0x900 + index).dropFirst(2))) runnable  \n\n")
        }
        put("JNI global refs: 4321, weak refs: 12\n\n")
        put("Found one Java-level deadlock:\n=============================\n")
        put("\"ledger-writer-1\":\n  waiting to lock monitor 0x00007f5e140667f0 (object 0x000000069ec10010, a com.acme.ledger.Account),\n  which is held by \"ledger-writer-2\"\n\n")
        put("\"ledger-writer-2\":\n  waiting to lock monitor 0x00007f5e14066800 (object 0x000000069ec10000, a com.acme.ledger.Account),\n  which is held by \"ledger-writer-1\"\n\n")
        put("Java stack information for the threads listed above:\n===================================================\n")
        put("\"ledger-writer-1\":\n\tat com.acme.ledger.Ledger.post(Ledger.java:88)\n\n")
        put("Found 1 deadlock.\n\n")
        return true
    }
}
