#if canImport(Glibc)
import Glibc
#endif
import Faultline
import FaultlineDecode

/// `faultline-bench --dumps [--threads N]`: a generated `jstack -l` dump of 20,000
/// (or N) threads (and one of an eighth of that, to show how memory follows the
/// dump's size) parsed and
/// analysed in process — best of N, the bytes already in memory — then
/// `faultline jstack` and `faultline analyze` run on it as child processes for
/// wall time and peak RSS, beside `wc -l` on the same file.
struct DumpBenchmark {
    var directory: String
    var runs: Int
    var faultline: String
    var threads = 20_000

    func run() {
        let big = "\(directory)/jstack-\(threads)-threads.txt"
        let small = "\(directory)/jstack-\(threads / 8)-threads.txt"
        for (path, count) in [(big, threads), (small, threads / 8)] {
            guard DumpGenerator(threads: count).write(to: path) else {
                print("faultline-bench: cannot write \(path)")
                exit(1)
            }
        }
        guard let bytes = Self.read(big) else {
            print("faultline-bench: cannot read \(big)")
            exit(1)
        }
        let megabytes = Double(bytes.count) / 1_048_576
        let lines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        print("input: \(big), \(Self.fixed(megabytes, 1)) MiB, \(lines) lines; best of \(runs) runs\n")

        // In process: parse and analyse, the bytes already in memory, 1 MiB chunks.
        var best = Double.infinity
        var summary = ""
        for _ in 0..<runs {
            let start = Self.now()
            var reader = ThreadDumpReader(form: .text, inputPath: big)
            var dumps: [ThreadDumpReader.AnalysedDump] = []
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let end = min(raw.count, offset + (1 << 20))
                    reader.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
                    dumps += reader.takeDumps()
                    offset = end
                }
            }
            reader.finish()
            dumps += reader.takeDumps()
            let seconds = Self.now() - start
            best = min(best, seconds)
            if let first = dumps.first {
                let findings = first.analysis.findings.map { "\($0.cause) (\($0.subjects["threads"] ?? "?") threads)" }
                summary = "\(first.dump.threads.count) threads, \(first.dump.frames.count) distinct frames, "
                    + "\(first.analysis.graph.owners.count) held locks, \(first.analysis.cycles.count) deadlock cycle(s); findings: "
                    + findings.joined(separator: ", ")
            }
        }
        print("parse + analyse in process: \(Self.fixed(best, 3)) s  (\(Self.fixed(megabytes / best, 0)) MB/s, \(Self.fixed(Double(threads) / best / 1000, 0))k threads/s, goal well under 1 s)")
        print("  \(summary)\n")

        // As a user runs it: child processes, wall time and peak RSS.
        func measure(_ argv: [String]) -> Measure.Result {
            guard let result = Measure.best(argv, runs: runs, captureOutput: true) else {
                print("faultline-bench: cannot run \(argv[0])")
                exit(1)
            }
            return result
        }
        _ = Measure.run(["cat", big])
        let rows: [(String, Measure.Result)] = [
            ("wc -l", measure(["wc", "-l", big])),
            ("faultline jstack --format json", measure([faultline, "jstack", "--format", "json", big])),
            ("faultline analyze --format json", measure([faultline, "analyze", "--format", "json", "--quiet", big])),
            ("faultline jstack (\(threads / 8) threads)", measure([faultline, "jstack", "--format", "json", small])),
        ]
        print(Self.pad("tool", 36) + Self.pad("seconds", 10) + Self.pad("MB/s", 10) + Self.pad("peak RSS MiB", 14) + "exit")
        for (name, result) in rows {
            let size = name.hasSuffix("\(threads / 8) threads)") ? megabytes / 8 : megabytes
            print(Self.pad(name, 36) + Self.pad(Self.fixed(result.seconds, 3), 10) + Self.pad(Self.fixed(size / result.seconds, 0), 10)
                  + Self.pad(Self.fixed(result.peakRSSMiB, 1), 14) + String(result.status))
        }
        if let full = rows.first(where: { $0.0.hasPrefix("faultline jstack --") })?.1, let eighth = rows.last?.1 {
            print("\nmemory: \(Self.fixed(eighth.peakRSSMiB, 1)) MiB for \(threads / 8) threads vs \(Self.fixed(full.peakRSSMiB, 1)) MiB for \(threads) "
                  + "(the dump being read is held; the series keeps one hash per thread)")
        }
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return decimals == 0 ? String(Int(rounded)) : String(rounded)
    }
}
