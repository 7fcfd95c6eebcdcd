#if canImport(Glibc)
import Glibc
#endif

/// Runs a command to completion with its output discarded and measures its
/// wall time and peak resident memory.
///
/// Peak memory is the child's `VmHWM` from `/proc/PID/status`, polled while it
/// runs: `wait4`'s `ru_maxrss` would also count the benchmark's own pages,
/// which the child shares between `posix_spawn` and `exec`. Polling takes CPU
/// the child may need (all of it, on a two-core machine, for a two-thread
/// child), so `best` times runs that are not polled and measures memory in a
/// run of its own.
enum Measure {
    struct Result {
        var seconds: Double
        var peakRSSMiB: Double
        var status: Int32
        var output: String
        /// The child's user and system CPU time (from `wait4`).
        var cpuSeconds: Double = 0
    }

    /// The fastest of `runs` unpolled runs, with the peak memory of one more run that is polled.
    /// One untimed run comes first (as hyperfine's `--warmup`): the first run after a build
    /// finds the kernel still reclaiming the compiler's memory, and pays for it in page faults.
    static func best(_ argv: [String], runs: Int, captureOutput: Bool = false) -> Result? {
        guard run(argv, captureOutput: captureOutput, samplingMemory: false) != nil else { return nil }
        var fastest: Result?
        for _ in 0..<max(1, runs) {
            guard let result = run(argv, captureOutput: captureOutput, samplingMemory: false) else { return nil }
            if fastest == nil || result.seconds < fastest!.seconds { fastest = result }
        }
        guard var result = fastest, let sampled = run(argv, captureOutput: captureOutput, samplingMemory: true) else { return nil }
        result.peakRSSMiB = sampled.peakRSSMiB
        return result
    }

    /// Several commands timed in turn, `rounds` times over, each command's fastest round kept (and
    /// its peak memory from one more, polled run; one untimed run each first). Taking turns puts
    /// every command through the same moments of the machine: a shared machine's speed drifts over
    /// seconds, and a command timed in a burst of its own runs can land wholly in a slow spell
    /// while another's runs do not. nil for a command that cannot be run.
    static func interleaved(_ commands: [[String]], rounds: Int) -> [Result?] {
        // One untimed run each (as in `best`), which also tells which can be run at all.
        var runnable = commands.map { run($0, samplingMemory: false) != nil }
        var fastest = [Result?](repeating: nil, count: commands.count)
        for _ in 0..<max(1, rounds) {
            for (index, argv) in commands.enumerated() where runnable[index] {
                guard let result = run(argv, samplingMemory: false) else {
                    runnable[index] = false
                    continue
                }
                if fastest[index].map({ $0.seconds <= result.seconds }) != true { fastest[index] = result }
            }
        }
        return commands.indices.map { index in
            guard runnable[index], var result = fastest[index], let sampled = run(commands[index], samplingMemory: true) else {
                return nil
            }
            result.peakRSSMiB = sampled.peakRSSMiB
            return result
        }
    }

    /// One run; without `samplingMemory` it blocks until the child ends (no polling), and
    /// `peakRSSMiB` is 0.
    static func run(_ argv: [String], captureOutput: Bool = false, samplingMemory: Bool = true) -> Result? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeFDs: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&pipeFDs) == 0 else { return nil }
            posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
            posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        guard posix_spawnp(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { return nil }
        var output = ""
        var peakKiB = 0
        var status: Int32 = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        if !samplingMemory {
            if captureOutput {
                close(pipeFDs[1])
                while true {
                    let n = read(pipeFDs[0], &chunk, chunk.count)
                    if n <= 0 { break }
                    output += String(decoding: chunk[0..<n], as: UTF8.self)
                }
                close(pipeFDs[0])
            }
            var usage = rusage()
            while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
            var end = timespec()
            clock_gettime(CLOCK_MONOTONIC, &end)
            let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
            return Result(seconds: seconds, peakRSSMiB: 0, status: (status >> 8) & 0xFF, output: output,
                          cpuSeconds: cpuSeconds(usage))
        }
        if captureOutput {
            close(pipeFDs[1])
            _ = fcntl(pipeFDs[0], F_SETFL, fcntl(pipeFDs[0], F_GETFL) | O_NONBLOCK)
        }
        var usage = rusage()
        while true {
            if let hwm = highWaterMarkKiB(pid) { peakKiB = max(peakKiB, hwm) }
            if captureOutput {
                while true {
                    let n = read(pipeFDs[0], &chunk, chunk.count)
                    if n <= 0 { break }
                    output += String(decoding: chunk[0..<n], as: UTF8.self)
                }
            }
            if wait4(pid, &status, WNOHANG, &usage) == pid { break }
            usleep(2000)
        }
        if captureOutput {
            while true {
                let n = read(pipeFDs[0], &chunk, chunk.count)
                if n <= 0 { break }
                output += String(decoding: chunk[0..<n], as: UTF8.self)
            }
            close(pipeFDs[0])
        }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        return Result(seconds: seconds, peakRSSMiB: Double(peakKiB) / 1024, status: (status >> 8) & 0xFF, output: output,
                      cpuSeconds: cpuSeconds(usage))
    }

    private static func cpuSeconds(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `VmHWM` of a running process, in KiB.
    static func highWaterMarkKiB(_ pid: pid_t) -> Int? {
        guard let file = fopen("/proc/\(pid)/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let bytes = line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
            let text = String(decoding: bytes, as: UTF8.self)
            if text.hasPrefix("VmHWM:") {
                return Int(text.dropFirst(6).filter { $0.isNumber })
            }
        }
        return nil
    }
}
