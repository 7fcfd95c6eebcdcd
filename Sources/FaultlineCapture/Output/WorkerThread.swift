#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread running one closure, joined by `join()` (run on the caller's thread if none can be started).
final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    private var started = false

    init(_ body: @escaping () -> Void) {
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
            body()
        }
    }

    func join() {
        if started { pthread_join(thread, nil) }
    }
}
