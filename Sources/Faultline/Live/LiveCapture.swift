public import FaultlineCore
import FaultlineCapture
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// DNS read live, on a thread of its own, by the same code as a capture
/// file's (`CaptureInput.decode`): each event handed to the live session as
/// soon as its transaction is settled (the session's `poll` wakes on
/// `descriptor`), and the per-name summaries and findings at the end. Two origins:
/// - an interface (`faultline run --capture IFACE`), through libpcap's live
///   capture, until `stop()`;
/// - a capture arriving as a byte stream (`tcpdump -U -w - | faultline
///   watch`): the session hands each chunk to `write(_:)`, which goes through
///   a pipe to libpcap reading it as a savefile, until `endOfInput()`.
public final class LiveCapture: @unchecked Sendable {
    /// Where the frames come from.
    private enum Origin {
        case interface(LiveInterface)
        /// The pipe's ends, and the capture's first bytes (for its timestamp precision).
        case stream(reader: Int32, writer: Int32, head: [UInt8])
    }

    /// What the capture thread has handed over and the session has not taken yet.
    private struct Mailbox: Sendable {
        var events: [Event] = []
        /// The latest findings so far (each hand-over replaces the last), until the capture's own at its end.
        var provisional: [Event]?
        var result: FileDecodeResult?
    }

    /// The capture's name in the report (`capture:IFACE`, or the stream's name).
    public let name: String
    /// The case's input index of the capture's events.
    public let input: Int
    /// Readable when events (or the end) are waiting in `take()`.
    public let descriptor: Int32
    private let wakeWriter: Int32
    private var origin: Origin
    private let mailbox = Mutex(Mailbox())
    private var thread: WorkerThread?
    private let context: InputContext

    /// Opens the interface for capturing (`any` for all), writing every frame to `keep` when given.
    ///
    /// - Throws: a `Diagnostic` with libpcap's reason when capturing is not possible (no privilege, no such interface).
    public convenience init(interface: String, keep: String?, input: Int, knowledge: KnowledgeBase) throws(Diagnostic) {
        let name = "capture:" + interface
        try self.init(origin: .interface(try LiveInterface(interface: interface, keep: keep)), name: name, input: input, knowledge: knowledge)
    }

    /// A capture that arrives as bytes (pcap or pcapng, as `tcpdump -w -` writes it), named `name`;
    /// `head` is its first bytes.
    public convenience init(stream name: String, head: UnsafeRawBufferPointer, input: Int, knowledge: KnowledgeBase) throws(Diagnostic) {
        let ends = try Self.channel(named: name)
        try self.init(origin: .stream(reader: ends.reader, writer: ends.writer, head: Array(head.prefix(64))),
                      name: name, input: input, knowledge: knowledge)
    }

    private init(origin: Origin, name: String, input: Int, knowledge: KnowledgeBase) throws(Diagnostic) {
        self.origin = origin
        self.name = name
        self.input = input
        let wake = try Self.pipe(named: name, nonBlocking: true)
        descriptor = wake.reader
        wakeWriter = wake.writer
        context = InputContext(index: input, path: name, knowledge: knowledge, isCompressed: false)
    }

    /// A one-way byte channel whose writer never raises SIGPIPE: a Unix socket pair, written with
    /// `MSG_NOSIGNAL`, so libpcap giving up on a corrupt capture (closing its end) is an error, not a death.
    private static func channel(named name: String) throws(Diagnostic) -> (reader: Int32, writer: Int32) {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw Diagnostic(code: "capture.open", message: "no socket pair: \(String(cString: strerror(errno)))", input: name)
        }
        _ = shutdown(ends[0], Int32(SHUT_WR))
        _ = shutdown(ends[1], Int32(SHUT_RD))
        return (ends[0], ends[1])
    }

    /// A pipe whose ends children do not inherit.
    private static func pipe(named name: String, nonBlocking: Bool) throws(Diagnostic) -> (reader: Int32, writer: Int32) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else {
            throw Diagnostic(code: "capture.open", message: "no pipe: \(String(cString: strerror(errno)))", input: name)
        }
        for fd in ends {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if nonBlocking { _ = fcntl(fd, F_SETFL, O_NONBLOCK) }
        }
        return (ends[0], ends[1])
    }

    deinit {
        close(descriptor)
        close(wakeWriter)
        if case .stream(let reader, let writer, _) = origin {
            if writer >= 0 { close(writer) }
            if thread == nil { close(reader) }
        }
    }

    /// Starts reading frames on a thread of its own.
    public func start() {
        let origin = self.origin
        thread = WorkerThread.start { [self] in
            let source: any PacketSource
            switch origin {
            case .interface(let live):
                source = live
            case .stream(let reader, _, let head):
                guard let file = fdopen(reader, "rb") else {
                    close(reader)
                    finish(FileDecodeResult(diagnostics: [Diagnostic(code: "capture.open", message: "cannot read the stream", input: name)],
                                            failed: true))
                    return
                }
                switch Self.open(file, name: name, head: head) {
                case .success(let file): source = file
                case .failure(let problem):
                    finish(FileDecodeResult(diagnostics: [problem], failed: true))
                    return
                }
            }
            let decoded = CaptureInput.decode(source, context: context, batchSize: 1, provisional: { findings in
                self.mailbox.withLock { $0.provisional = findings }
                self.wake()
            }) { events in
                mailbox.withLock { $0.events += events }
                wake()
            }
            finish(decoded.result)
        }
    }

    /// Passes the next bytes of a streamed capture to libpcap (blocking while the reading thread catches up).
    /// - Returns: false when the reader is gone (it met the end of the capture, or an error).
    @discardableResult
    public func write(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard case .stream(_, let writer, _) = origin, writer >= 0, var base = chunk.baseAddress else { return false }
        var left = chunk.count
        while left > 0 {
            let n = send(writer, base, left, Int32(MSG_NOSIGNAL))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            base += n
            left -= n
        }
        return true
    }

    /// The streamed capture has ended: libpcap reads to its end, unanswered queries become findings.
    public func endOfInput() {
        guard case .stream(let reader, let writer, let head) = origin, writer >= 0 else { return }
        close(writer)
        origin = .stream(reader: reader, writer: -1, head: head)
    }

    /// Ends a live capture: frames still queued are read, unanswered queries become findings.
    public func stop() {
        switch origin {
        case .interface(let live): live.stop()
        case .stream: endOfInput()
        }
    }

    /// libpcap over a streamed capture (it reads the file header first, waiting for it).
    private static func open(_ file: UnsafeMutablePointer<FILE>, name: String, head: [UInt8]) -> Result<PcapFile, Diagnostic> {
        head.withUnsafeBytes { head in
            do throws(Diagnostic) { return .success(try PcapFile(file: file, name: name, head: head)) } catch { return .failure(error) }
        }
    }

    private func finish(_ result: FileDecodeResult) {
        mailbox.withLock { $0.result = result }
        wake()
    }

    /// What was handed over since the last call: events, the latest findings so far (nil when none came;
    /// for a status only, never for the report), and the capture's outcome once it has ended.
    public func take() -> (events: [Event], provisional: [Event]?, ended: FileDecodeResult?) {
        var drain = [UInt8](repeating: 0, count: 256)
        while read(descriptor, &drain, drain.count) > 0 {}
        return mailbox.withLock { box in
            let events = box.events
            let provisional = box.provisional
            box.events.removeAll()
            box.provisional = nil
            return (events, provisional, box.result)
        }
    }

    /// Waits for the capture thread to end.
    public func join() {
        thread?.join()
        thread = nil
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWriter, &byte, 1)
    }
}
