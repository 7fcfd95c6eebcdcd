/// What a stack frame says a thread is doing, decided once per distinct frame
/// from its text (`java.net.Inet6AddressImpl.lookupAllHostAddr(…)` is a DNS
/// lookup, `ThreadPoolExecutor.getTask(…)` an idle pool worker…).
public struct FrameKind: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Name resolution: `InetAddress` lookups, `getaddrinfo`.
    public static let dnsLookup = FrameKind(rawValue: 1 << 0)
    /// Reading from a socket (`socketRead0`, `NioSocketImpl.read`, `SocketDispatcher.read0`).
    public static let socketRead = FrameKind(rawValue: 1 << 1)
    /// Connecting a socket (`socketConnect`, `Net.connect0`, `finishConnect`).
    public static let socketConnect = FrameKind(rawValue: 1 << 2)
    /// `Thread.sleep`.
    public static let sleep = FrameKind(rawValue: 1 << 3)
    /// `Object.wait`.
    public static let objectWait = FrameKind(rawValue: 1 << 4)
    /// `LockSupport.park` / `Unsafe.park`.
    public static let park = FrameKind(rawValue: 1 << 5)
    /// A worker with nothing to do: waiting for a task, a reference, a timer, a selector or a connection.
    public static let idle = FrameKind(rawValue: 1 << 6)
    /// Waiting for another task's result: `Future.get`, `CompletableFuture.join`, `ForkJoinTask.join`, `invokeAll`.
    public static let futureWait = FrameKind(rawValue: 1 << 7)
    /// Putting to or taking from a blocking queue.
    public static let queueWait = FrameKind(rawValue: 1 << 8)
    /// The run loop of a pool worker (`ThreadPoolExecutor.runWorker`, `ForkJoinWorkerThread.run`).
    public static let poolWorker = FrameKind(rawValue: 1 << 9)
    /// A server reading a request or accepting a connection.
    public static let serverSide = FrameKind(rawValue: 1 << 10)
    /// A client of another service: HTTP clients, JDBC drivers, LDAP, RMI calls.
    public static let clientSide = FrameKind(rawValue: 1 << 11)
    /// A pool worker taking its next task (`getTask`), the frame right under an idle queue wait.
    public static let taskFetch = FrameKind(rawValue: 1 << 12)
    /// A carrier running a virtual thread (`Continuation.run`, `VirtualThread.run`).
    public static let continuation = FrameKind(rawValue: 1 << 13)
    /// Acquiring a `java.util.concurrent` lock (`ReentrantLock.lock`, `AbstractQueuedSynchronizer.acquire`).
    public static let lockAcquire = FrameKind(rawValue: 1 << 14)
    /// A frame of the JDK itself (`java.`, `jdk.`, `javax.`, `sun.`, `com.sun.`).
    public static let jdk = FrameKind(rawValue: 1 << 15)
    /// A native or blocking call that does not depend on the CPU (any of the waits above).
    public static let blocking: FrameKind = [.dnsLookup, .socketRead, .socketConnect, .sleep, .objectWait, .park]

    /// Classifies one frame text (`pkg.Class.method(File.java:12)`, with or without a `module/` prefix).
    public static func classify(_ frame: String) -> FrameKind {
        var copy = frame
        return copy.withUTF8 { raw in
            let bytes = UnsafeRawBufferPointer(raw)
            return classify(bytes).union(direction(bytes))
        }
    }

    /// Classifies one frame's bytes: a table lookup on its `Class.method` and its method name.
    /// Client and server markers are searched separately (`direction`), only where they matter.
    /// - Complexity: O(n) in the frame's length; run once per distinct frame.
    static func classify(_ frame: UnsafeRawBufferPointer) -> FrameKind {
        var method = ByteText.slice(frame, 0, ByteText.firstIndex(of: 0x28, in: frame) ?? frame.count)
        if let slash = ByteText.lastIndex(of: 0x2F, in: method) { method = ByteText.slice(method, slash + 1) }
        var kind: FrameKind = []
        if let lastDot = ByteText.lastIndex(of: 0x2E, in: method) {
            let name = ByteText.slice(method, lastDot + 1)
            let classStart = (ByteText.lastIndex(of: 0x2E, in: method, before: lastDot) ?? -1) + 1
            let call = ByteText.slice(method, classStart)
            kind.formUnion(callTable[ByteText.string(call)] ?? [])
            kind.formUnion(methodTable[ByteText.string(name)] ?? [])
        }
        if ByteText.hasPrefix(method, "java.") || ByteText.hasPrefix(method, "jdk.") || ByteText.hasPrefix(method, "javax.")
            || ByteText.hasPrefix(method, "sun.") || ByteText.hasPrefix(method, "com.sun.") {
            kind.insert(.jdk)
        }
        return kind
    }

    /// `.serverSide` and/or `.clientSide` from the frame's package and class markers.
    static func direction(_ frame: UnsafeRawBufferPointer) -> FrameKind {
        var kind: FrameKind = []
        for marker in serverMarkers where ByteText.find(marker, in: frame) != nil {
            kind.insert(.serverSide)
            break
        }
        for marker in clientMarkers where ByteText.find(marker, in: frame) != nil {
            kind.insert(.clientSide)
            break
        }
        return kind
    }

    /// `Class.method` (the last two dotted parts, nested classes with `$`) → what the call means.
    static let callTable: [String: FrameKind] = {
        var table: [String: FrameKind] = [:]
        func add(_ kind: FrameKind, _ calls: [String]) { for call in calls { table[call, default: []].formUnion(kind) } }
        add(.dnsLookup, ["InetAddress.getAllByName", "InetAddress.getAllByName0", "InetAddress.getByName", "InetAddress.getLocalHost",
                         "InetAddress$NameServiceAddresses.get", "InetAddress.getCanonicalHostName", "InetAddress.getHostFromNameService",
                         "InetAddress.getAddressesFromNameService", "InetAddress$PlatformResolver.lookupByName",
                         "InetAddress$PlatformResolver.lookupByAddress", "InetAddress$PlatformNameService.getHostByAddr"])
        add(.socketRead, ["SocketInputStream.read", "SocketInputStream.socketRead", "NioSocketImpl.read", "NioSocketImpl.implRead",
                          "NioSocketImpl.timedRead", "NioSocketImpl.park", "SocketDispatcher.read0", "SocketDispatcher.read",
                          "SocketChannelImpl.read", "Socket$SocketInputStream.read"])
        add(.socketConnect, ["Net.connect0", "Net.connect", "Net.pollConnect", "NioSocketImpl.connect", "NioSocketImpl.timedFinishConnect",
                             "Socket.connect", "PlainSocketImpl.connect", "AbstractPlainSocketImpl.connect", "SocksSocketImpl.connect",
                             "AbstractPlainSocketImpl.doConnect", "PlainSocketImpl.socketConnect", "SocketChannelImpl.finishConnect"])
        add(.sleep, ["Thread.sleep", "Thread.sleep0", "Thread.sleepNanos", "Thread.sleepNanos0", "TimeUnit.sleep"])
        add(.objectWait, ["Object.wait", "Object.wait0"])
        add(.park, ["Unsafe.park", "LockSupport.park", "LockSupport.parkNanos", "LockSupport.parkUntil"])
        add(.idle, ["ThreadPoolExecutor.getTask", "ForkJoinPool.awaitWork", "ForkJoinPool.awaitQuiescence", "ForkJoinPool.deactivate",
                    "DelayedWorkQueue.take", "ScheduledThreadPoolExecutor$DelayedWorkQueue.take", "Reference.waitForReferencePendingList",
                    "ReferenceQueue.remove", "ReferenceQueue.remove0", "NativeReferenceQueue.remove", "TimerThread.mainLoop",
                    "CleanerImpl.run", "EPoll.wait", "EPollArrayWrapper.epollWait", "KQueue.poll", "KQueue.kevent0",
                    "KQueueArrayWrapper.kevent0", "WEPoll.wait", "WindowsSelectorImpl$SubSelector.poll0", "EPollSelectorImpl.doSelect",
                    "KQueueSelectorImpl.doSelect", "SelectorImpl.select", "SelectorImpl.lockAndDoSelect", "Net.accept",
                    "ServerSocket.accept", "ServerSocket.implAccept", "ServerSocketChannelImpl.accept", "EventQueue.getNextEvent",
                    "VirtualThread.takeVirtualThreadListToUnblock"])
        add(.taskFetch, ["ThreadPoolExecutor.getTask", "DelayedWorkQueue.take", "DelayedWorkQueue.poll",
                         "ScheduledThreadPoolExecutor$DelayedWorkQueue.take", "ScheduledThreadPoolExecutor$DelayedWorkQueue.poll"])
        add(.futureWait, ["FutureTask.get", "FutureTask.awaitDone", "CompletableFuture.get", "CompletableFuture.join",
                          "CompletableFuture.waitingGet", "CompletableFuture.timedGet", "CompletableFuture$Signaller.block",
                          "ForkJoinTask.join", "ForkJoinTask.get", "ForkJoinTask.awaitDone", "ForkJoinTask.invokeAll",
                          "AbstractExecutorService.invokeAll", "AbstractExecutorService.invokeAny", "ExecutorCompletionService.take",
                          "CountDownLatch.await", "CyclicBarrier.await", "CyclicBarrier.dowait", "Phaser.awaitAdvance",
                          "Phaser.awaitAdvanceInterruptibly", "DefaultPromise.await", "DefaultPromise.awaitUninterruptibly",
                          "DefaultPromise.sync", "DefaultPromise.syncUninterruptibly", "Await$.result", "Await$.ready"])
        add(.queueWait, ["LinkedBlockingQueue.put", "LinkedBlockingQueue.take", "LinkedBlockingQueue.poll", "LinkedBlockingQueue.offer",
                         "ArrayBlockingQueue.put", "ArrayBlockingQueue.take", "ArrayBlockingQueue.poll", "ArrayBlockingQueue.offer",
                         "LinkedBlockingDeque.putLast", "LinkedBlockingDeque.takeFirst", "LinkedBlockingDeque.put", "LinkedBlockingDeque.take",
                         "SynchronousQueue.put", "SynchronousQueue.take", "SynchronousQueue.poll", "SynchronousQueue.offer",
                         "LinkedTransferQueue.take", "LinkedTransferQueue.poll", "PriorityBlockingQueue.take", "DelayQueue.take"])
        add(.poolWorker, ["ThreadPoolExecutor.runWorker", "ThreadPoolExecutor$Worker.run", "ForkJoinWorkerThread.run", "ForkJoinPool.runWorker"])
        add(.continuation, ["Continuation.run", "VirtualThread.runContinuation", "Continuation.enter", "Continuation.enter0", "VirtualThread.run"])
        add(.lockAcquire, ["ReentrantLock.lock", "ReentrantLock.lockInterruptibly", "ReentrantLock.tryLock", "ReentrantLock$Sync.lock",
                           "ReentrantLock$NonfairSync.lock", "ReentrantLock$FairSync.lock", "ReentrantReadWriteLock$ReadLock.lock",
                           "ReentrantReadWriteLock$WriteLock.lock", "AbstractQueuedSynchronizer.acquire", "AbstractQueuedSynchronizer.acquireQueued",
                           "AbstractQueuedSynchronizer.acquireShared", "AbstractQueuedSynchronizer.doAcquireShared",
                           "AbstractQueuedSynchronizer.acquireInterruptibly", "AbstractQueuedSynchronizer.doAcquireInterruptibly"])
        add(.clientSide, ["Socket.connect", "Socket.<init>"])
        return table
    }()

    /// Method names that mean the same whatever their class (`lookupAllHostAddr` of Inet4/Inet6AddressImpl…).
    static let methodTable: [String: FrameKind] = [
        "lookupAllHostAddr": .dnsLookup, "getHostByAddr": .dnsLookup, "getaddrinfo": .dnsLookup,
        "socketRead0": .socketRead, "socketRead": .socketRead,
        "socketConnect": .socketConnect, "finishConnect": .socketConnect,
        "socketAccept": .idle,
    ]

    /// Packages and class-name parts of servers waiting for a request or a connection.
    static let serverMarkers: [StaticString] = [
        "ServerSocket", "readRequest", "RequestLine", "Servlet", "coyote", "Http11", "jetty.server", "jetty.io", "undertow",
        "sun.net.httpserver", "tomcat.util.net", "rmi.transport.tcp.TCPTransport", "grizzly", "Acceptor", "netty.channel",
        "org.xnio", "Server",
    ]

    /// Packages and classes of clients of other services: HTTP clients, database drivers, LDAP, RMI, cloud SDKs.
    static let clientMarkers: [StaticString] = [
        "HttpURLConnection", "sun.net.www.http.HttpClient", "sun.net.www.protocol", "org.apache.http.impl", "org.apache.hc.client5",
        "okhttp3", "jdk.internal.net.http", "java.net.http.HttpClient", "com.mysql", "org.postgresql", "oracle.jdbc",
        "com.microsoft.sqlserver", "org.mariadb", "redis.clients", "com.mongodb", "com.sun.jndi.ldap", "com.sun.jndi.dns",
        "StreamRemoteCall", "sun.net.ftp", "com.sun.mail", "software.amazon.awssdk", "com.amazonaws", "org.apache.commons.net",
        "com.zaxxer.hikari", "java.sql.DriverManager", "org.elasticsearch.client", "URL.openStream", "URLConnection",
    ]
}
