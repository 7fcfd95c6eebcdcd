#if canImport(Glibc)
import Glibc
#endif
import Faultline

/// `faultline-bench --batch`: `faultline batch` over generated archives of
/// 2,000 cases (half in a .tar.gz, half in a .zip; mixed Go and npm job logs,
/// some gzipped, some with a DNS capture): cases/s and MB/s with `--jobs 1`
/// and `--jobs 2` side by side, the same with `--db`, and peak RSS for 2,000
/// against 20,000 cases.
struct BatchBenchmark {
    var directory: String
    var runs: Int
    var faultline: String
    var cases = 2_000

    /// Writes `count` cases into `<dir>/batch-<count>.tgz` and `.zip` (unless there); the uncompressed bytes.
    func archives(count: Int) -> (paths: [String], bytes: Int) {
        let capturePath = Self.samplesCapture()
        guard let capture = Self.read(capturePath) else { failBatch("cannot read \(capturePath)") }
        let generator = BatchCaseGenerator(capture: capture)
        let tgz = "\(directory)/batch-\(count).tgz"
        let zip = "\(directory)/batch-\(count).zip"
        var bytes = 0
        for index in 0..<count { bytes += generator.files(of: index).reduce(0) { $0 + $1.1.count } }
        if access(tgz, R_OK) == 0 && access(zip, R_OK) == 0 { return ([tgz, zip], bytes) }
        print("generating \(tgz) and \(zip) (\(count) cases)…")
        do {
            let writers = [try ArchiveWriter(path: tgz, kind: .tarGzip), try ArchiveWriter(path: zip, kind: .zip)]
            for index in 0..<count {
                for (name, content) in generator.files(of: index) {
                    try writers[(index / 2) % 2].add("job-\(index)/\(name)", content)
                }
            }
            for writer in writers { try writer.close() }
        } catch {
            failBatch("cannot write the archives: \(error)")
        }
        return ([tgz, zip], bytes)
    }

    func run() {
        let (paths, bytes) = archives(count: cases)
        let (bigPaths, _) = archives(count: cases * 10)
        let megabytes = Double(bytes) / 1_048_576
        let stored = paths.reduce(0) { $0 + Self.size($1) }
        print("input: \(cases) cases, \(Self.fixed(megabytes, 1)) MiB of logs and captures (\(Self.fixed(Double(stored) / 1_048_576, 1)) MiB in the .tgz and .zip); best of \(runs) runs, commands taking turns\n")
        let database = "\(directory)/batch.sqlite"
        let base = [faultline, "batch"] + paths + ["--out", "/dev/null", "--quiet"]
        let commands = [base + ["--jobs", "1"], base + ["--jobs", "2"],
                        base + ["--jobs", "1", "--db", database], base + ["--jobs", "2", "--db", database]]
        let names = ["--jobs 1", "--jobs 2", "--jobs 1 --db", "--jobs 2 --db"]
        print("load average before: \(Self.loadAverage())")
        let results = Measure.interleaved(commands, rounds: runs)
        print("load average after:  \(Self.loadAverage())\n")
        print(Self.pad("faultline batch", 22) + Self.pad("seconds", 10) + Self.pad("CPU s", 8) + Self.pad("cases/s", 10)
              + Self.pad("MB/s", 8) + "peak RSS MiB")
        var seconds: [Double] = []
        for (name, result) in zip(names, results) {
            guard let result else { failBatch("cannot run faultline batch \(name)") }
            seconds.append(result.seconds)
            print(Self.pad(name, 22) + Self.pad(Self.fixed(result.seconds, 2), 10) + Self.pad(Self.fixed(result.cpuSeconds, 2), 8)
                  + Self.pad(Self.fixed(Double(cases) / result.seconds, 0), 10)
                  + Self.pad(Self.fixed(megabytes / result.seconds, 1), 8) + Self.fixed(result.peakRSSMiB, 1)
                  + (result.status == 0 ? "" : "  (exit \(result.status))"))
        }
        unlink(database)
        let big = Measure.run([faultline, "batch"] + bigPaths + ["--out", "/dev/null", "--quiet", "--jobs", "2"])
        print("")
        print("--jobs 2 vs --jobs 1: \(Self.fixed(seconds[0] / seconds[1], 2))× (goal ≥ 1.8 on 2 cores; needs the cores to itself)")
        print("--db overhead: \(Self.fixed((seconds[2] / seconds[0] - 1) * 100, 1))% with --jobs 1, \(Self.fixed((seconds[3] / seconds[1] - 1) * 100, 1))% with --jobs 2")
        if let big, let small = results[1] {
            print("peak RSS, --jobs 2: \(Self.fixed(small.peakRSSMiB, 1)) MiB for \(cases) cases, \(Self.fixed(big.peakRSSMiB, 1)) MiB for \(cases * 10) cases (\(Self.fixed(big.seconds, 1)) s) (goal: flat)")
        }
    }

    /// `/proc/loadavg`'s first three fields: how busy the shared machine was.
    static func loadAverage() -> String {
        guard let bytes = read("/proc/loadavg") else { return "?" }
        return String(decoding: bytes, as: UTF8.self).split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func samplesCapture() -> String {
        let here = String(CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
        for candidate in ["Samples/go/dns-unreachable/dns.pcap", here + "/../../../Samples/go/dns-unreachable/dns.pcap"]
        where access(candidate, R_OK) == 0 {
            return candidate
        }
        return "Samples/go/dns-unreachable/dns.pcap"
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    static func fixed(_ v: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return String((v * scale).rounded() / scale)
    }
}

func failBatch(_ message: String) -> Never {
    print("faultline-bench: \(message)")
    exit(1)
}
