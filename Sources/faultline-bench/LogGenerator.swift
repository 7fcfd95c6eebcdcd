import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// Writes a realistic Go build log of a given size: a GitHub Actions job whose
/// `docker build` (BuildKit, plain progress) runs `go mod download -x`, `go
/// build` and `go test`, with the rare real failure lines among ordinary
/// output, the way a large CI archive looks.
struct LogGenerator {
    var targetBytes: Int
    /// One failure block per this many lines.
    var errorEvery = 200_000

    /// Real failure lines (the shapes of shared/research/build-log-signatures.md).
    static let failures = [
        "go: example.com/fl/greeting@v1.0.0: Get \"https://proxy.golang.org/example.com/fl/greeting/@v/v1.0.0.mod\": dial tcp: lookup proxy.golang.org on 10.96.0.10:53: read udp 10.1.2.3:41000->10.96.0.10:53: i/o timeout",
        "go: github.com/aws/aws-sdk-go@v1.25.13: reading https://proxy.golang.org/github.com/aws/aws-sdk-go/@v/v1.25.13.zip: 403 Forbidden",
        "verifying github.com/google/gofuzz@v1.0.0/go.mod: checksum mismatch",
        "go: writing go.mod cache: mkdir /home/gopath/pkg/mod: permission denied",
    ]

    func write(to path: String) -> Bool {
        guard let file = fopen(path, "w") else { return false }
        defer { fclose(file) }
        var line = 0
        var rng = SplitMix(seed: 42)
        var writer = GeneratedLogWriter(file: file)
        var second = 0
        while writer.written < targetBytes {
            line += 1
            if line % 1000 == 0 { second += 1 }
            let stamp = GeneratedLogWriter.stamp(second: second, rng: &rng)
            let vertex = 8 + (line / 50_000) % 6
            let elapsed = "\(line % 900).\(pad3(Int(rng.next() % 1000)))"
            var text: String
            switch rng.next() % 100 {
            case 0..<30:
                text = "#\(vertex) \(elapsed) go: downloading github.com/org\(rng.next() % 500)/module\(rng.next() % 2000) v1.\(rng.next() % 40).\(rng.next() % 10)"
            case 30..<45:
                let mod = "github.com/org\(rng.next() % 500)/module\(rng.next() % 2000)/@v/v1.\(rng.next() % 40).0"
                text = "#\(vertex) \(elapsed) # get https://proxy.golang.org/\(mod).mod: 200 OK (0.\(pad3(Int(rng.next() % 1000)))s)"
            case 45..<60:
                text = "#\(vertex) \(elapsed) github.com/org\(rng.next() % 500)/module\(rng.next() % 2000)/internal/pkg\(rng.next() % 30)"
            case 60..<72:
                text = "#\(vertex) \(elapsed) === RUN   TestHandler\(rng.next() % 300)/case_\(rng.next() % 50)"
            case 72..<84:
                text = "#\(vertex) \(elapsed) --- PASS: TestHandler\(rng.next() % 300) (0.\(pad3(Int(rng.next() % 1000)))s)"
            case 84..<90:
                text = "#\(vertex) \(elapsed) ok  \tgithub.com/acme/service/pkg\(rng.next() % 80)\t0.\(pad3(Int(rng.next() % 1000)))s\tcoverage: \(rng.next() % 100).\(rng.next() % 10)% of statements"
            case 90..<94:
                text = "#\(vertex) \(elapsed) # github.com/acme/service/internal/handler\(rng.next() % 40)"
            case 94..<97:
                text = "#\(vertex) \(elapsed) 2026/11/26 04:00:\(pad(second % 60)) INFO request served path=/api/v1/items/\(rng.next() % 100_000) status=200 duration=\(rng.next() % 900)µs"
            default:
                text = "#\(vertex) \(elapsed) go: found github.com/org\(rng.next() % 500)/module\(rng.next() % 2000) in github.com/org\(rng.next() % 500)/module\(rng.next() % 2000) v0.\(rng.next() % 40).0"
            }
            // A new BuildKit step every 50,000 lines, with its header and the previous step's DONE.
            if line % 50_000 == 1 {
                text = "#\(vertex) [builder \(vertex - 7)/7] RUN go build -trimpath -o /out/service ./cmd/service"
            } else if line % 50_000 == 0 {
                text = "#\(vertex) DONE \(rng.next() % 90).\(rng.next() % 10)s"
            }
            if line % errorEvery == 0 {
                text = "#\(vertex) \(elapsed) " + Self.failures[(line / errorEvery) % Self.failures.count]
            }
            writer.append(stamp: stamp, text: text)
        }
        writer.flush()
        return true
    }

    private func pad(_ v: Int) -> String { GeneratedLogWriter.pad(v) }
    private func pad3(_ v: Int) -> String { GeneratedLogWriter.pad3(v) }
}
