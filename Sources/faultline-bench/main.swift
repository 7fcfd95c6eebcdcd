#if canImport(Glibc)
import Glibc
#endif
import Faultline
import FaultlineDecode

// faultline-bench: throughput and peak memory of `faultline analyze` on a large
// realistic Go build log, side by side with `wc -l` and with `grep -c -E -f`
// given the same signatures' anchors, on the same file in the page cache.
//
//   swift run -c release faultline-bench [--size-mb N] [--dir DIR] [--runs N] [--npm]
//
// --npm: the log is an npm build (npm ci, lint, webpack, jest) instead of a Go one.
// --dumps: instead of a log, a generated 20,000-thread jstack dump parsed and analysed (DumpBenchmark.swift).
// --captures: a 1M-packet DNS capture through `faultline dns` beside tcpdump and tshark (CaptureBenchmark.swift).
// --live: `faultline watch`: decisive line to status latency, passthrough beside cat, memory on a long stream (LiveBenchmark.swift).
// --batch: `faultline batch` over archives of 2,000 and 20,000 generated cases (BatchBenchmark.swift).

var sizeMB = 1024
var directory = "bench-data"
var runs = 3
var npm = false
var dumpBenchmark = false
var captureBenchmark = false
var liveBenchmark = false
var batchBenchmark = false
var generator: String?
var dumpThreads = 20_000
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--size-mb": sizeMB = Int(arguments.next() ?? "") ?? sizeMB
    case "--dir": directory = arguments.next() ?? directory
    case "--runs": runs = max(1, Int(arguments.next() ?? "") ?? runs)
    case "--npm": npm = true
    case "--dumps": dumpBenchmark = true
    case "--captures": captureBenchmark = true
    case "--live": liveBenchmark = true
    case "--batch": batchBenchmark = true
    case "--generator": generator = arguments.next()
    case "--threads": dumpThreads = max(8, Int(arguments.next() ?? "") ?? dumpThreads)
    case "-h", "--help":
        print("usage: faultline-bench [--size-mb N (default 1024)] [--dir DIR (default bench-data)] [--runs N (default 3)] [--npm (an npm log instead of Go)] [--dumps [--threads N] (a 20,000-thread (or N-thread) jstack dump instead of a log)] [--captures [--generator PATH] (a DNS capture beside tcpdump and tshark)] [--live (faultline watch: latency, passthrough beside cat, memory; run from the repository)] [--batch (faultline batch over archives of 2,000 and 20,000 cases)]")
        exit(0)
    default:
        print("faultline-bench: unknown argument \(argument); see --help")
        exit(2)
    }
}

nonisolated func fail(_ message: String) -> Never {
    print("faultline-bench: \(message)")
    exit(1)
}

mkdir(directory, 0o755)
let executableDirectory = String(CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
let faultline = (executableDirectory.isEmpty ? "." : executableDirectory) + "/faultline"
guard access(faultline, X_OK) == 0 else { fail("\(faultline) not found: build it with `swift build -c release` first") }
if captureBenchmark {
    CaptureBenchmark(directory: directory, runs: runs, faultline: faultline).run(generatorOverride: generator)
    exit(0)
}
if liveBenchmark {
    LiveBenchmark(directory: directory, runs: runs, faultline: faultline, sizeMB: sizeMB).run()
    exit(0)
}
if batchBenchmark {
    BatchBenchmark(directory: directory, runs: runs, faultline: faultline).run()
    exit(0)
}
if dumpBenchmark {
    DumpBenchmark(directory: directory, runs: runs, faultline: faultline, threads: dumpThreads).run()
    exit(0)
}

func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

// The inputs: the full log and an eighth of it, to show memory does not grow with input size.
let tool = npm ? "npm" : "go"
let log = "\(directory)/\(tool)-build-\(sizeMB)MB.log"
let small = "\(directory)/\(tool)-build-\(max(1, sizeMB / 8))MB.log"
for (path, megabytes) in [(log, sizeMB), (small, max(1, sizeMB / 8))] where fileSize(path) < megabytes << 20 {
    print("generating \(path) (\(megabytes) MiB)…")
    let written = npm ? NpmLogGenerator(targetBytes: megabytes << 20).write(to: path) : LogGenerator(targetBytes: megabytes << 20).write(to: path)
    guard written else { fail("cannot write \(path)") }
}

// The same signatures grep gets: every anchor literal of the default pipeline, as an ERE.
let knowledge: KnowledgeBase
do { knowledge = try Analyzer.loadKnowledge() } catch { fail("cannot load the default pipeline: \(error)") }
let patterns = "\(directory)/signatures.ere"
let special = Set("\\^$.[]|()*+?{}")
let ere = knowledge.anchors.map { anchor in anchor.map { special.contains($0) ? "\\\($0)" : String($0) }.joined() }
guard let out = fopen(patterns, "w") else { fail("cannot write \(patterns)") }
for line in ere { fputs(line + "\n", out) }
fclose(out)

// The probes the prefilter picks on this input (from its first 256 KiB).
var scanner = LiteralLineScanner(literals: knowledge.anchors + BuildLogDecoder.structuralAnchors)
if let head = fopen(log, "r") {
    var sample = [UInt8](repeating: 0, count: 256 * 1024)
    let n = fread(&sample, 1, sample.count, head)
    fclose(head)
    sample.withUnsafeBytes { scanner.plan(sample: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
}
print("prefilter: \(scanner.literals.count) literals covered by \(scanner.probes.count) probes: \(scanner.probes.map(\.description).joined(separator: " "))")

// Warm the page cache.
_ = Measure.run(["cat", log])

struct Row {
    var name: String
    var seconds: Double
    var rss: Double
    var detail: String
}

func best(_ argv: [String], runs: Int, captureOutput: Bool = false) -> Measure.Result {
    guard let result = Measure.best(argv, runs: runs, captureOutput: captureOutput) else { fail("cannot run \(argv[0])") }
    return result
}

let bytes = Double(fileSize(log))
let megabytes = bytes / 1_048_576
print("input: \(log), \(Int(megabytes)) MiB; best of \(runs) runs each after one untimed (peak memory from one more, polled run), same file, page cache warm\n")
let wc = best(["wc", "-l", log], runs: runs, captureOutput: true)
let grep = best(["grep", "-c", "-E", "-f", patterns, log], runs: runs, captureOutput: true)
let analysed = best([faultline, "analyze", "--format", "json", "--quiet", log], runs: runs, captureOutput: true)
let smallRun = best([faultline, "analyze", "--format", "json", "--quiet", small], runs: runs)
let hypotheses = analysed.output.components(separatedBy: "\"cause\"").count - 1

var rows = [
    Row(name: "wc -l", seconds: wc.seconds, rss: wc.peakRSSMiB, detail: "\(wc.output.split(separator: " ").first ?? "?") lines"),
    Row(name: "grep -c -E -f (\(ere.count) anchors)", seconds: grep.seconds, rss: grep.peakRSSMiB,
        detail: "\(grep.output.trimmingCharacters()) matching lines"),
    Row(name: "faultline analyze", seconds: analysed.seconds, rss: analysed.peakRSSMiB,
        detail: "exit \(analysed.status), \(hypotheses) hypotheses"),
]
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func fixed(_ v: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let r = (v * scale).rounded() / scale
    return String(r)
}
print(pad("tool", 36) + pad("seconds", 10) + pad("MB/s", 10) + pad("peak RSS MiB", 14) + "result")
for row in rows {
    print(pad(row.name, 36) + pad(fixed(row.seconds, 3), 10) + pad(fixed(megabytes / row.seconds, 0), 10)
          + pad(fixed(row.rss, 1), 14) + row.detail)
}
print("")
print("faultline vs wc -l:   \(fixed(wc.seconds / analysed.seconds, 2))× wc's speed (goal ≥ 0.25)")
print("faultline vs grep:    \(fixed(grep.seconds / analysed.seconds, 2))× grep's speed (goal > 1)")
print("memory, \(Int(megabytes / 8)) MiB vs \(Int(megabytes)) MiB input: \(fixed(smallRun.peakRSSMiB, 1)) MiB vs \(fixed(analysed.peakRSSMiB, 1)) MiB peak RSS (goal: flat)")

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == " " { s.removeLast() }
        return String(s)
    }
}
