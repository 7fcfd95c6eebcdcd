#if canImport(Glibc)
import Glibc
#endif

/// A command run under `faultline run`: started with `posix_spawnp`, every
/// signal disposition and the signal mask as a shell would leave them, and
/// either
/// - its standard output and error on pipes of their own (read by the live
///   session), its standard input and terminal shared with Faultline (so
///   Ctrl-C reaches it from the terminal as it would without Faultline), or
/// - a `PseudoTerminal` of its own: a new session whose controlling terminal,
///   standard input, output and error are the pseudo-terminal's command side,
///   so it behaves as on a terminal while Faultline reads what it shows.
public final class ChildProcess {
    /// How a command ended.
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status a shell would give: the code, or 128 + the signal.
        public var shellStatus: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }
    }

    /// Why a command could not be started (`No such file or directory`), with the shell's status for it (127, 126).
    public struct SpawnError: Error, Sendable {
        public var message: String
        public var status: Int32
    }

    public let pid: Int32
    /// The reading ends of the child's standard output and error; on a pseudo-terminal, both are its controller
    /// side, which the caller owns (only `stdout` is read).
    public let stdout: Int32
    public let stderr: Int32
    public private(set) var ending: Ending?

    /// Starts `arguments[0]` (looked up in `PATH`) with `arguments`, its output on pipes, or on `terminal`.
    public init(arguments: [String], terminal: PseudoTerminal? = nil) throws(SpawnError) {
        guard let command = arguments.first else { throw SpawnError(message: "no command", status: 2) }
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if let terminal {
            // glibc starts the new session before the file actions: the first terminal the session
            // leader opens (without O_NOCTTY) becomes its controlling terminal.
            flags |= Self.spawnStartsSession
            posix_spawn_file_actions_addopen(&actions, 0, terminal.terminalPath, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
        } else {
            guard Self.pipeClosedOnExec(&out) else { throw SpawnError(message: String(cString: strerror(errno)), status: 126) }
            guard Self.pipeClosedOnExec(&err) else {
                close(out[0]); close(out[1])
                throw SpawnError(message: String(cString: strerror(errno)), status: 126)
            }
            posix_spawn_file_actions_adddup2(&actions, out[1], 1)
            posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Faultline blocks the signals it reads from a signalfd and ignores SIGPIPE; the child gets neither.
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let rc = posix_spawnp(&child, command, &actions, &attributes, argv, environ)
        if terminal == nil {
            close(out[1])
            close(err[1])
        }
        guard rc == 0 else {
            if terminal == nil {
                close(out[0])
                close(err[0])
            }
            let status: Int32 = rc == ENOENT ? 127 : 126
            throw SpawnError(message: "\(command): \(String(cString: strerror(rc)))", status: status)
        }
        pid = child
        stdout = terminal?.controller ?? out[0]
        stderr = terminal?.controller ?? err[0]
    }

    /// glibc's `POSIX_SPAWN_SETSID` (a GNU extension Swift does not import): the child starts a new session.
    static let spawnStartsSession: Int32 = 0x80

    /// Reaps the child if it has ended; its ending, or nil while it runs.
    @discardableResult
    public func poll() -> Ending? {
        if ending != nil { return ending }
        var status: Int32 = 0
        let rc = waitpid(pid, &status, WNOHANG)
        guard rc == pid else { return nil }
        ending = Self.ending(status)
        return ending
    }

    /// Waits for the child to end.
    public func wait() -> Ending {
        if let ending { return ending }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let ended = Self.ending(status)
        ending = ended
        return ended
    }

    /// Sends `signal` to the child, while it runs.
    public func send(_ signal: Int32) {
        guard ending == nil else { return }
        kill(pid, signal)
    }

    /// A pipe whose ends other children started meanwhile do not inherit.
    private static func pipeClosedOnExec(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// `WIFEXITED`/`WEXITSTATUS`/`WTERMSIG`, which are C macros.
    static func ending(_ status: Int32) -> Ending {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
