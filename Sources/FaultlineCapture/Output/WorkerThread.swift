#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread running one closure, joined by `join()`. When no thread can be started,
/// the closure runs on the caller's thread (`init`), or not at all (`start`, which then answers nil).
public final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    private(set) var started = false

    /// A thread running `body`, or nil (and `body` not run) when none can be started.
    public static func start(_ body: @escaping () -> Void) -> WorkerThread? {
        let worker = WorkerThread(body, runInline: false)
        return worker.started ? worker : nil
    }

    convenience init(_ body: @escaping () -> Void) { self.init(body, runInline: true) }

    private init(_ body: @escaping () -> Void, runInline: Bool) {
        self.body = body
        let box = Unmanaged.passRetained(self).toOpaque()
        started = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let me = Unmanaged<WorkerThread>.fromOpaque(context).takeRetainedValue()
            me.body()
            return nil
        }, box) == 0
        if !started {
            Unmanaged<WorkerThread>.fromOpaque(box).release()
            if runInline { body() }
        }
    }

    public func join() {
        if started { pthread_join(thread, nil) }
    }

    /// Runs `body` on a thread nobody waits for (it ends on its own), or on the caller's thread
    /// when none can be started.
    public static func detach(_ body: @escaping () -> Void) {
        let worker = WorkerThread(body, runInline: true)
        if worker.started { pthread_detach(worker.thread) }
    }
}
