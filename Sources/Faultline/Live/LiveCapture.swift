public import FaultlineCore
import FaultlineCapture
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// DNS captured live while a command runs (`faultline run --capture IFACE`):
/// libpcap on a thread of its own, its frames decoded by the same code as a
/// capture file's (`CaptureInput.decode`), each event handed to the live
/// session as soon as its transaction is settled (the session's `poll` wakes
/// on `descriptor`), and the per-name summaries and findings when it stops.
public final class LiveCapture: @unchecked Sendable {
    /// What the capture thread has handed over and the session has not taken yet.
    private struct Mailbox: Sendable {
        var events: [Event] = []
        var result: FileDecodeResult?
    }

    public let interface: String
    /// The case's input index of the capture's events.
    public let input: Int
    /// Readable when events (or the end) are waiting in `take()`.
    public let descriptor: Int32
    private let wakeWriter: Int32
    private let source: LiveInterface
    private let mailbox = Mutex(Mailbox())
    private var thread: WorkerThread?
    private let context: InputContext

    /// Opens the interface for capturing (`any` for all), writing every frame to `keep` when given.
    ///
    /// - Throws: a `Diagnostic` with libpcap's reason when capturing is not possible (no privilege, no such interface).
    public init(interface: String, keep: String?, input: Int, knowledge: KnowledgeBase) throws(Diagnostic) {
        self.interface = interface
        self.input = input
        source = try LiveInterface(interface: interface, keep: keep)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw Diagnostic(code: "capture.open", message: "no pipe: \(String(cString: strerror(errno)))", input: "capture:" + interface)
        }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        descriptor = ends[0]
        wakeWriter = ends[1]
        context = InputContext(index: input, path: "capture:" + interface, knowledge: knowledge, isCompressed: false)
    }

    deinit {
        close(descriptor)
        close(wakeWriter)
    }

    /// Starts capturing on a thread of its own.
    public func start() {
        thread = WorkerThread.start { [self] in
            let decoded = CaptureInput.decode(source, context: context, batchSize: 1) { events in
                mailbox.withLock { $0.events += events }
                wake()
            }
            mailbox.withLock { $0.result = decoded.result }
            wake()
        }
    }

    /// Ends the capture: frames still queued are read, unanswered queries become findings.
    public func stop() {
        source.stop()
    }

    /// The events handed over since the last call, and the capture's outcome once it has ended.
    public func take() -> (events: [Event], ended: FileDecodeResult?) {
        var drain = [UInt8](repeating: 0, count: 256)
        while read(descriptor, &drain, drain.count) > 0 {}
        return mailbox.withLock { box in
            let events = box.events
            box.events.removeAll()
            return (events, box.result)
        }
    }

    /// Waits for the capture thread to end.
    public func join() {
        thread?.join()
        thread = nil
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }
}
