#if canImport(Glibc)
import Glibc
#endif

/// `faultline-bench --captures`: packets per second and peak memory of
/// `faultline dns --format ndjson` (and of `faultline analyze`, the whole
/// report) beside `TZ=UTC tcpdump -nr` and `tshark -r`
/// on the same synthetic 1M-packet DNS capture (made once by
/// `shared/tools/gen_dns_pcap.py` into the bench-data folder), in one run;
/// then faultline alone on the other link types and on a capture five times
/// smaller, to show memory follows open transactions, not the capture's length.
struct CaptureBenchmark {
    var directory: String
    var runs: Int
    var faultline: String
    var packets = 1_000_000

    /// The generator: `--generator PATH`, else `../shared/tools/gen_dns_pcap.py` beside the clone, else `/work/shared/…`.
    static func generator(_ override: String?) -> String? {
        let candidates = [override, "../shared/tools/gen_dns_pcap.py", "/work/shared/tools/gen_dns_pcap.py"].compactMap { $0 }
        return candidates.first { access($0, R_OK) == 0 }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func available(_ tool: String) -> Bool {
        guard let result = Measure.run(["sh", "-c", "command -v \(tool)"], captureOutput: true) else { return false }
        return result.status == 0
    }

    /// Makes `path` with the generator unless it is already there.
    func capture(_ path: String, packets: Int, linkType: String, generator: String) -> Bool {
        if Self.fileSize(path) > 24 { return true }
        print("generating \(path) (\(packets) packets, \(linkType))…")
        let result = Measure.run(["python3", generator, "-n", String(packets), "-o", path, "--linktype", linkType])
        return result?.status == 0 && Self.fileSize(path) > 24
    }

    func best(_ argv: [String]) -> Measure.Result? { Measure.best(argv, runs: runs) }

    func run(generatorOverride: String? = nil) {
        guard let generator = Self.generator(generatorOverride) else {
            print("faultline-bench: gen_dns_pcap.py not found (pass --generator PATH)")
            exit(1)
        }
        let main = "\(directory)/dns-\(packets / 1000)k-en10mb.pcap"
        guard capture(main, packets: packets, linkType: "en10mb", generator: generator) else {
            print("faultline-bench: cannot generate \(main)")
            exit(1)
        }
        _ = Measure.run(["cat", main])
        let megabytes = Double(Self.fileSize(main)) / 1_048_576
        print("input: \(main), \(packets) packets, \(Int(megabytes)) MiB; best of \(runs) rounds, each running every tool once in turn (after one untimed run each; peak memory from one more, polled run), page cache warm\n")

        // The tools take turns, so each sees the same moments of this shared machine.
        var tools: [(name: String, argv: [String])] = [
            ("faultline dns --format ndjson", [faultline, "dns", "--format", "ndjson", "--quiet", main]),
            // The main job on the same capture: findings, per-name summaries, the report.
            ("faultline analyze", [faultline, "analyze", "--quiet", main]),
        ]
        if Self.available("tcpdump") {
            tools.append(("TZ=UTC tcpdump -nr", ["env", "TZ=UTC", "tcpdump", "-nr", main]))
        } else {
            print("(tcpdump not installed: apt-get install tcpdump)")
        }
        if Self.available("tshark") {
            tools.append(("tshark -r", ["tshark", "-r", main]))
        } else {
            print("(tshark not installed: DEBIAN_FRONTEND=noninteractive apt-get install tshark)")
        }
        let results = Measure.interleaved(tools.map(\.argv), rounds: runs)
        let rows: [(name: String, result: Measure.Result)] = zip(tools, results).compactMap { tool, result in
            result.map { (tool.name, $0) }
        }
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        func fixed(_ v: Double, _ decimals: Int) -> String {
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            return String((v * scale).rounded() / scale)
        }
        print(pad("tool", 32) + pad("seconds", 10) + pad("packets/s", 14) + pad("peak RSS MiB", 14) + "exit")
        for row in rows {
            print(pad(row.name, 32) + pad(fixed(row.result.seconds, 3), 10)
                  + pad(String(Int(Double(packets) / row.result.seconds)), 14) + pad(fixed(row.result.peakRSSMiB, 1), 14)
                  + String(row.result.status))
        }
        print("")
        if let ours = rows.first(where: { $0.name.hasPrefix("faultline dns") })?.result {
            if let tcpdump = rows.first(where: { $0.name.contains("tcpdump") })?.result {
                print("faultline vs tcpdump: \(fixed(tcpdump.seconds / ours.seconds, 2))× tcpdump's packets/s (goal ≥ 4)")
            }
            if let tshark = rows.first(where: { $0.name.hasPrefix("tshark") })?.result {
                print("faultline vs tshark:  \(fixed(tshark.seconds / ours.seconds, 1))× tshark's packets/s (goal ≥ 40)")
            }
        }
        if let analyze = rows.first(where: { $0.name == "faultline analyze" })?.result {
            if let tcpdump = rows.first(where: { $0.name.contains("tcpdump") })?.result {
                print("faultline analyze vs tcpdump: \(fixed(tcpdump.seconds / analyze.seconds, 2))× tcpdump's packets/s (goal ≥ 4)")
            }
            if let tshark = rows.first(where: { $0.name.hasPrefix("tshark") })?.result {
                print("faultline analyze vs tshark: \(fixed(tshark.seconds / analyze.seconds, 1))× (the whole report, not a per-packet listing)")
            }
            if let ours = rows.first(where: { $0.name.hasPrefix("faultline dns") })?.result {
                print("faultline analyze vs faultline dns: \(fixed(analyze.seconds / ours.seconds, 2))× the time")
            }
        }

        // The other link types, and a capture five times smaller for memory.
        print("")
        print(pad("faultline dns on", 44) + pad("seconds", 10) + pad("packets/s", 14) + "peak RSS MiB")
        let small = packets / 5
        let others: [(String, Int)] = [("sll", small), ("sll2", small), ("raw", small), ("null", small), ("en10mb", small)]
        for (linkType, count) in others {
            let path = "\(directory)/dns-\(count / 1000)k-\(linkType).pcap"
            guard capture(path, packets: count, linkType: linkType, generator: generator),
                  let result = best([faultline, "dns", "--format", "ndjson", "--quiet", path]) else { continue }
            print(pad("\(path) (\(count) packets)", 44) + pad(fixed(result.seconds, 3), 10)
                  + pad(String(Int(Double(count) / result.seconds)), 14) + fixed(result.peakRSSMiB, 1))
        }
    }
}
