public import FaultlineCore
import FaultlineInput
#if canImport(Glibc)
import Glibc
#endif

/// The loop behind `faultline watch` and `faultline run`: reads every live
/// stream as its bytes arrive, passes them through unchanged, feeds them to a
/// `LiveCase`, and after new events takes a snapshot whose top hypothesis
/// becomes the status on standard error when it first appears or changes: at
/// once for new evidence (a cause for a subject not seen before, a failure),
/// otherwise at most every `snapshotInterval` and when the input goes quiet.
///
/// A stream whose first bytes are a capture's (pcap or pcapng magic: `tcpdump
/// -U -w - | faultline watch`) is still passed through, but read by a
/// `LiveCapture` instead of the log decoders, so its DNS transactions join the
/// case as they complete.
///
/// One thread does all of it, waiting in `poll(2)`; other threads (a live
/// capture, signals through a `signalfd`) wake it through descriptors added
/// with `watch(descriptor:_:)`.
public final class LiveSession {
    /// Timings and limits.
    public struct Options: Sendable {
        /// The least time between two snapshots.
        public var snapshotInterval = 0.05
        /// No input for this long while a stream is open is reported (`--stall`).
        public var stall: Double?
        /// The session ends after this long without input (`--until-idle`).
        public var untilIdle: Double?
        /// How often a source without a descriptor (a followed file) is looked at.
        public var pollInterval = 0.1
        /// End at the first write error on a passthrough output (`watch`); otherwise (`run`) only the
        /// stream that could not be passed on is ended, so the command writing it gets a broken pipe.
        public var endOnWriteError = true
        /// Bytes read at a time.
        public var chunkSize = 1 << 20
        /// Files read into the case when the streams have ended (`watch --capture FILE`), with their input index.
        public var filesAtEnd: [(path: String, input: Int)] = []

        public init() {}
    }

    /// One stream: where its bytes come from, which input of the case they are, and where they pass through to.
    public struct Feed {
        public var source: any LiveByteSource
        public var input: Int
        public var output: OutputSink?
        var open = true
        /// Whether its first bytes were looked at (a capture, or a log).
        var classified = false
        /// A stream that is a capture: read by this, not by the log decoders.
        var capture: LiveCapture?

        public init(source: any LiveByteSource, input: Int, output: OutputSink?) {
            self.source = source
            self.input = input
            self.output = output
        }
    }

    public private(set) var live: LiveCase
    public let board: StatusBoard
    public var options: Options
    private var feeds: [Feed]
    private var watchers: [(descriptor: Int32, handler: () -> Void)] = []
    /// Live captures feeding the case (streamed in, or an interface's), and whether each has ended.
    private var captures: [(capture: LiveCapture, ended: Bool)] = []
    /// The session goes on, even with every stream ended, while this says so (a child not reaped yet).
    public var keepRunning: () -> Bool = { false }
    /// Once set (monotonic seconds), streams still open then are ended (a child's grandchild keeping its pipe).
    public var endStreamsAt: Double?
    /// The status shown last, and the last `statusHistoryLimit` statuses the session showed, in order.
    public private(set) var status: LiveStatus?
    public private(set) var statuses: [LiveStatus] = []
    static let statusHistoryLimit = 64
    /// The first write error on a passthrough output.
    public private(set) var writeError: String?
    private var lastSnapshot = -Double.infinity
    private var eventsAtSnapshot = 0
    private var lastInput = LiveClock.monotonic()
    private var stallReported = false
    private var stopped = false

    public init(live: LiveCase, feeds: [Feed], board: StatusBoard, options: Options = Options()) {
        self.live = live
        self.feeds = feeds
        self.board = board
        self.options = options
    }

    /// Calls `handler` on the session's thread whenever `descriptor` is readable (the handler reads it).
    public func watch(descriptor: Int32, _ handler: @escaping () -> Void) {
        watchers.append((descriptor, handler))
    }

    /// Stops watching `descriptor` (standard input passed to a command, at its end).
    public func unwatch(descriptor: Int32) {
        watchers.removeAll { $0.descriptor == descriptor }
    }

    /// Pushes events decoded elsewhere (call on the session's thread, from a watcher's handler).
    public func push(_ events: [Event], input: Int) {
        live.push(events, input: input)
        snapshotIfDue(now: LiveClock.monotonic(), force: live.takeNewEvidence())
    }

    /// A live capture's findings so far, for statuses only (call on the session's thread).
    public func provisional(_ events: [Event], input: Int) {
        live.setProvisional(events, input: input)
        snapshotIfDue(now: LiveClock.monotonic(), force: live.takeNewEvidence())
    }

    /// Updates what the report says about an `events` input.
    public func describe(input: Int, format: String, frames: Int?, diagnostics: [Diagnostic]) {
        live.describe(input: input, format: format, frames: frames, diagnostics: diagnostics)
    }

    /// Ends the session at the next turn of the loop (a signal, Ctrl-C on `--follow`).
    public func stop() { stopped = true }

    /// Runs until every stream ended (and `keepRunning` says no), then returns the report.
    public func run() -> Report {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: options.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        lastInput = LiveClock.monotonic()
        while !stopped {
            let anyOpen = feeds.contains { $0.open }
            let capturesReading = captures.contains { !$0.ended }
            if !anyOpen && !capturesReading && !keepRunning() { break }
            var fds: [pollfd] = []
            var feedOfPoll: [Int] = []
            for index in feeds.indices where feeds[index].open {
                if let fd = feeds[index].source.descriptor {
                    fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
                    feedOfPoll.append(index)
                }
            }
            // Watchers added or removed by the handlers below take effect on the next turn.
            let polledWatchers = watchers
            for watcher in polledWatchers {
                fds.append(pollfd(fd: watcher.descriptor, events: Int16(POLLIN), revents: 0))
            }
            let timeout = nextTimeout(anyOpen: anyOpen)
            let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
            if ready < 0 && errno != EINTR { break }
            for (position, index) in feedOfPoll.enumerated() where ready > 0 && fds[position].revents != 0 {
                pump(index, buffer: buffer, drain: false)
            }
            for index in feeds.indices where feeds[index].open && feeds[index].source.descriptor == nil {
                pump(index, buffer: buffer, drain: true)
            }
            if ready > 0 {
                for (offset, watcher) in polledWatchers.enumerated() where fds[feedOfPoll.count + offset].revents != 0 {
                    watcher.handler()
                }
            }
            let now = LiveClock.monotonic()
            if let deadline = endStreamsAt, now >= deadline {
                endStreamsAt = nil
                for index in feeds.indices where feeds[index].open { end(index) }
            }
            snapshotIfDue(now: now)
            checkIdle(now: now, anyOpen: feeds.contains { $0.open })
        }
        for index in feeds.indices where feeds[index].open { end(index) }
        for item in captures { item.capture.join() }
        for index in captures.indices { takeCapture(index) }
        for (path, input) in options.filesAtEnd { live.read(file: path, input: input) }
        snapshotIfDue(now: .infinity, force: true)
        board.finish()
        return live.finish(arrival: LiveClock.wall())
    }

    /// Milliseconds `poll` may wait: until a snapshot is due, a stall or idle limit is reached, or a file is looked at again.
    private func nextTimeout(anyOpen: Bool) -> Int32 {
        let now = LiveClock.monotonic()
        var wait = Double.infinity
        if live.changes != eventsAtSnapshot { wait = min(wait, lastSnapshot + options.snapshotInterval - now) }
        if let stall = options.stall, !stallReported, anyOpen { wait = min(wait, lastInput + stall - now) }
        if let idle = options.untilIdle { wait = min(wait, lastInput + idle - now) }
        if feeds.contains(where: { $0.open && $0.source.descriptor == nil }) { wait = min(wait, options.pollInterval) }
        if let end = endStreamsAt { wait = min(wait, end - now) }
        if !anyOpen { wait = min(wait, options.pollInterval) }
        if wait == .infinity { return -1 }
        return Int32(max(0, min(wait, 3600)) * 1000 + 0.999)
    }

    /// Reads one chunk of feed `index` (a followed file: until nothing more has arrived).
    private func pump(_ index: Int, buffer: UnsafeMutableRawBufferPointer, drain: Bool) {
        repeat {
            switch feeds[index].source.read(into: buffer) {
            case .data(let n):
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                lastInput = LiveClock.monotonic()
                stallReported = false
                passThrough(chunk, feed: index)
                if !feeds[index].classified { classify(index, first: chunk) }
                if let capture = feeds[index].capture {
                    capture.write(chunk)
                    continue
                }
                live.feed(chunk, input: feeds[index].input, arrival: LiveClock.wall())
                // A decisive line (a cause for a new subject, a failure) is reported at once; more of the
                // same waits for the rate limit.
                snapshotIfDue(now: lastInput, force: live.takeNewEvidence())
            case .nothing:
                return
            case .end:
                end(index)
                return
            case .failed(let reason):
                live.note(Diagnostic(code: "input.read", message: "reading stopped: \(reason)", input: live.inputName(feeds[index].input)))
                end(index)
                return
            }
        } while drain && !stopped
    }

    private func passThrough(_ chunk: UnsafeRawBufferPointer, feed index: Int) {
        guard let output = feeds[index].output, output.error == nil else { return }
        board.beforeOutput(output)
        if !output.write(chunk) {
            if writeError == nil {
                let name = output.descriptor == 1 ? "standard output" : output.descriptor == 2 ? "standard error" : "descriptor \(output.descriptor)"
                writeError = "cannot write to \(name): \(output.error ?? "unknown error")"
                board.note("faultline: " + (writeError ?? ""))
            }
            if options.endOnWriteError {
                stopped = true
            } else {
                // Its reading end closed: a command writing on gets EPIPE (or SIGPIPE), as it would without Faultline.
                end(index)
            }
            return
        }
        board.afterOutput(feeds.compactMap(\.output))
    }

    private func end(_ index: Int) {
        guard feeds[index].open else { return }
        feeds[index].open = false
        feeds[index].source.close()
        if let capture = feeds[index].capture {
            capture.endOfInput()
        } else {
            live.endOfStream(feeds[index].input, arrival: LiveClock.wall())
        }
    }

    /// Looks at a stream's first bytes: a capture's magic hands the stream to a `LiveCapture`.
    private func classify(_ index: Int, first chunk: UnsafeRawBufferPointer) {
        feeds[index].classified = true
        guard FormatDetector.detect(UnsafeRawBufferPointer(rebasing: chunk.prefix(4))).isCapture else { return }
        let input = feeds[index].input
        do {
            let capture = try LiveCapture(stream: live.inputName(input), head: chunk, input: input, knowledge: live.knowledge)
            live.becomeCapture(input)
            feeds[index].capture = capture
            attach(capture)
            capture.start()
        } catch {
            live.note(error)
        }
    }

    /// Joins a live capture's events to the case as its thread hands them over (its findings so far for
    /// statuses, its own at its end); the session goes on until it has ended. `faultline run --capture`
    /// attaches an interface's; a streamed capture (`classify`) is attached here too.
    public func attach(_ capture: LiveCapture) {
        let index = captures.count
        captures.append((capture, false))
        watch(descriptor: capture.descriptor) { [unowned self] in takeCapture(index) }
    }

    /// Pushes what capture `index`'s reader has decoded; at its end, what it found about the capture.
    private func takeCapture(_ index: Int) {
        guard !captures[index].ended else { return }
        let capture = captures[index].capture
        let (events, provisional, ended) = capture.take()
        if let provisional, ended == nil { self.provisional(provisional, input: capture.input) }
        push(events, input: capture.input)
        if let ended {
            captures[index].ended = true
            unwatch(descriptor: capture.descriptor)
            describe(input: capture.input, format: "pcap", frames: ended.frames, diagnostics: ended.diagnostics)
        }
    }

    private func snapshotIfDue(now: Double, force: Bool = false) {
        guard live.changes != eventsAtSnapshot else { return }
        guard force || now - lastSnapshot >= options.snapshotInterval else { return }
        lastSnapshot = LiveClock.monotonic()
        eventsAtSnapshot = live.changes
        guard let next = LiveStatus(live.snapshot()) else { return }
        if next.differs(from: status) {
            statuses.append(next)
            if statuses.count > Self.statusHistoryLimit { statuses.removeFirst() }
            board.show(next.line, key: next.cause + "|" + next.subject)
        }
        status = next
    }

    private func checkIdle(now: Double, anyOpen: Bool) {
        if let stall = options.stall, anyOpen, !stallReported, now - lastInput >= stall {
            stallReported = true
            let seconds = Self.seconds(now - lastInput)
            var text = "faultline: no output for \(seconds)"
            let lines = feeds.filter(\.open).compactMap { live.linesSeen(input: $0.input) }.max()
            if let lines { text += " after line \(lines)" }
            text += "; the input is still open"
            if let status { text += " (so far: \(status.cause))" }
            board.note(text)
            let input = feeds.first(where: \.open).map { live.inputName($0.input) } ?? ""
            live.note(Diagnostic(code: "input.stalled", message: "no output for \(seconds) while the input was still open",
                                 input: input, line: lines, severity: .warning))
        }
        if let idle = options.untilIdle, now - lastInput >= idle { stopped = true }
    }

    static func seconds(_ value: Double) -> String {
        value >= 10 ? "\(Int(value.rounded())) s" : "\(Double(Int(value * 10)) / 10) s"
    }
}
