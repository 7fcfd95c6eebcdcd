#if canImport(Glibc)
import Glibc
#endif

/// `faultline-bench --live`: what `faultline watch` costs a build it sits behind.
///
/// - latency: a fresh `faultline watch` is given the first 30 lines of
///   `Samples/go/dns-unreachable/build.log` and, once they have come out on its
///   standard output (it is up), after a gap of 0–90 ms (so the snapshot rate
///   limit is met in every phase), the decisive line 31; the time from writing
///   that line to the status on standard error, over `latencyRuns` processes.
/// - throughput: `cat LOG | faultline watch | cat` beside `cat LOG | cat | cat`, in turns.
/// - memory: peak RSS of `faultline watch` on the log streamed once and five times over.
struct LiveBenchmark {
    var directory: String
    var runs: Int
    var faultline: String
    var sizeMB: Int
    var latencyRuns = 200

    func run() {
        latency()
        throughputAndMemory()
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func sampleLog() -> [UInt8]? {
        let candidates = ["Samples/go/dns-unreachable/build.log", "../Samples/go/dns-unreachable/build.log"]
        for path in candidates {
            guard let file = fopen(path, "rb") else { continue }
            defer { fclose(file) }
            var bytes = [UInt8](repeating: 0, count: 1 << 16)
            let n = fread(&bytes, 1, bytes.count, file)
            return Array(bytes[0..<n])
        }
        return nil
    }

    func latency() {
        guard let log = Self.sampleLog() else {
            print("live latency: Samples/go/dns-unreachable/build.log not found (run from the repository)")
            return
        }
        var lineEnds: [Int] = []
        for (index, byte) in log.enumerated() where byte == 0x0A { lineEnds.append(index + 1) }
        guard lineEnds.count > 31 else { return }
        let head = Array(log[0..<lineEnds[29]])
        let decisive = Array(log[lineEnds[29]..<lineEnds[30]])
        var samples: [Double] = []
        for index in 0..<latencyRuns {
            guard let seconds = once(head: head, decisive: decisive, gapMilliseconds: (index % 10) * 10) else {
                print("live latency: could not run \(faultline) watch")
                return
            }
            samples.append(seconds)
        }
        samples.sort()
        func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] * 1000 }
        print("watch latency, decisive line in → status on stderr, \(samples.count) processes: "
              + "p50 \(fixed(percentile(0.5), 2)) ms, p99 \(fixed(percentile(0.99), 2)) ms, max \(fixed((samples.last ?? 0) * 1000, 2)) ms (goal: p99 < 100 ms)")
    }

    /// One watch process: head, a gap, the decisive line; seconds until the status arrived.
    private func once(head: [UInt8], decisive: [UInt8], gapMilliseconds: Int) -> Double? {
        var input: [Int32] = [-1, -1]
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard pipe(&input) == 0, pipe(&output) == 0, pipe(&errors) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        posix_spawn_file_actions_addclose(&actions, input[1])
        posix_spawn_file_actions_addclose(&actions, output[0])
        posix_spawn_file_actions_addclose(&actions, errors[0])
        let argv = [faultline, "watch", "--status", "lines", "--report", "/dev/null"]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, faultline, &actions, nil, &cArgs, environ) == 0 else { return nil }
        close(input[0])
        close(output[1])
        close(errors[1])
        defer {
            close(input[1])
            close(output[0])
            var drain = [UInt8](repeating: 0, count: 4096)
            while read(errors[0], &drain, drain.count) > 0 {}
            close(errors[0])
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        _ = head.withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
        // Timing starts once watch is up and has passed the head through (its start-up is not latency).
        var passed = 0
        var chunk = [UInt8](repeating: 0, count: 4096)
        while passed < head.count {
            let n = read(output[0], &chunk, chunk.count)
            if n <= 0 { return nil }
            passed += n
        }
        usleep(UInt32(gapMilliseconds * 1000))
        let start = Self.now()
        _ = decisive.withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
        var seen: [UInt8] = []
        let marker = Array("faultline: dns_server_unreachable".utf8)
        while true {
            let n = read(errors[0], &chunk, chunk.count)
            if n <= 0 { return nil }
            seen += chunk[0..<n]
            if seen.count >= marker.count, (0...(seen.count - marker.count)).contains(where: { seen[$0..<($0 + marker.count)].elementsEqual(marker) }) {
                return Self.now() - start
            }
        }
    }

    func throughputAndMemory() {
        let log = "\(directory)/go-build-\(sizeMB)MB.log"
        if CaptureBenchmark.fileSize(log) < sizeMB << 20 {
            print("generating \(log) (\(sizeMB) MiB)…")
            guard LogGenerator(targetBytes: sizeMB << 20).write(to: log) else { fail("cannot write \(log)") }
        }
        _ = Measure.run(["cat", log])
        let watch = "\(faultline) watch --status none --report /dev/null"
        let results = Measure.interleaved([
            ["sh", "-c", "cat '\(log)' | cat | cat > /dev/null"],
            ["sh", "-c", "cat '\(log)' | \(watch) | cat > /dev/null"],
        ], rounds: runs)
        guard let cat = results[0], let live = results[1] else { fail("cannot run the throughput pipelines") }
        let megabytes = Double(CaptureBenchmark.fileSize(log)) / 1_048_576
        print("passthrough, \(Int(megabytes)) MiB log piped through: cat \(fixed(megabytes / cat.seconds, 0)) MB/s, "
              + "faultline watch \(fixed(megabytes / live.seconds, 0)) MB/s = \(fixed(cat.seconds / live.seconds, 2))× cat (goal ≥ 0.5)")
        if let once = streamedPeakRSS(log, times: 1), let five = streamedPeakRSS(log, times: 5) {
            print("memory: peak RSS \(fixed(once, 1)) MiB on \(Int(megabytes)) MiB streamed, "
                  + "\(fixed(five, 1)) MiB on \(Int(megabytes * 5)) MiB (goal: flat)")
        }
    }

    /// `faultline watch` fed `log` `times` over through a pipe from here; its peak RSS (`VmHWM`, polled) in MiB.
    func streamedPeakRSS(_ log: String, times: Int) -> Double? {
        var input: [Int32] = [-1, -1]
        guard pipe(&input) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_addclose(&actions, input[1])
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = [faultline, "watch", "--status", "none", "--report", "/dev/null"]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, faultline, &actions, nil, &cArgs, environ) == 0 else { return nil }
        close(input[0])
        var peakKiB = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var chunks = 0
        for _ in 0..<times {
            guard let file = fopen(log, "rb") else { break }
            while true {
                let n = fread(&chunk, 1, chunk.count, file)
                if n == 0 { break }
                var offset = 0
                while offset < n {
                    let written = chunk.withUnsafeBytes { bytes in bytes.baseAddress.map { write(input[1], $0 + offset, n - offset) } ?? -1 }
                    if written <= 0 { break }
                    offset += written
                }
                chunks += 1
                if chunks % 16 == 0, let hwm = Measure.highWaterMarkKiB(pid) { peakKiB = max(peakKiB, hwm) }
            }
            fclose(file)
        }
        if let hwm = Measure.highWaterMarkKiB(pid) { peakKiB = max(peakKiB, hwm) }
        close(input[1])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return Double(peakKiB) / 1024
    }

    private func fixed(_ v: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return String((v * scale).rounded() / scale)
    }
}
