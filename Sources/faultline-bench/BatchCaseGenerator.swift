import Faultline

/// The cases of the batch benchmark: small CI job logs, Go or npm (a docker
/// build's BuildKit output with a GitHub Actions timestamp per line), each
/// with one real failure among ordinary lines, or none (a healthy build); every
/// fifth with a real DNS capture beside it, every third log gzipped. Case `i`
/// is always the same bytes.
struct BatchCaseGenerator {
    /// The capture put beside some cases (the sample of an unreachable resolver).
    var capture: [UInt8]

    /// The files of case `index`: names (inside the case's folder) and contents.
    func files(of index: Int) -> [(String, [UInt8])] {
        var rng = SplitMix(seed: UInt64(index) &* 0x9E37_79B9 &+ 7)
        let npm = index % 2 == 1
        let lines = 150 + Int(rng.next() % 250)
        var text = ""
        text.reserveCapacity(lines * 110)
        var second = 0
        let failureLine = index % 10 == 9 ? -1 : Int(rng.next() % UInt64(lines))
        for line in 0..<lines {
            if line % 20 == 0 { second += 1 }
            let stamp = GeneratedLogWriter.stamp(second: second, rng: &rng)
            let vertex = 8 + line / 100
            let elapsed = "\(line / 10).\(GeneratedLogWriter.pad3(Int(rng.next() % 1000)))"
            if line == failureLine {
                if npm {
                    for failure in NpmLogGenerator.failures[index / 2 % NpmLogGenerator.failures.count] {
                        text += stamp + "#\(vertex) \(elapsed) " + failure + "\n"
                    }
                } else {
                    text += stamp + "#\(vertex) \(elapsed) " + LogGenerator.failures[index / 2 % LogGenerator.failures.count] + "\n"
                }
                continue
            }
            if npm {
                let package = NpmLogGenerator.packages[Int(rng.next() % UInt64(NpmLogGenerator.packages.count))]
                text += stamp + "#\(vertex) \(elapsed) npm http fetch GET 200 https://registry.npmjs.org/\(package) \(rng.next() % 400)ms (cache revalidated)\n"
            } else {
                text += stamp + "#\(vertex) \(elapsed) go: downloading github.com/org\(rng.next() % 500)/module\(rng.next() % 2000) v1.\(rng.next() % 40).\(rng.next() % 10)\n"
            }
        }
        var log = Array(text.utf8)
        var name = "build.log"
        if index % 3 == 0, let compressed = try? ArchiveWriter.gzip(log) {
            log = compressed
            name = "build.log.gz"
        }
        var files = [(name, log)]
        if index % 5 == 0 { files.append(("dns.pcap", capture)) }
        return files
    }
}
