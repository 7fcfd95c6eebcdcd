import Testing
@testable import FaultlineDecode
import FaultlineCore

/// The decoders' contract, as swift-nio's ByteToMessageDecoderVerifier checks
/// it: feeding the same bytes in any chunking gives the same events.
@Suite("Byte-level scanning")
struct ScannerTests {
    static let log: [UInt8] = Array("""
    #8 [builder 4/7] RUN go mod download\r
    #8 0.512 go: downloading example.com/fl/greeting v1.0.0
    plain line without anything
    \u{1B}[31m#8 5.120 go: example.com/fl/greeting@v1.0.0: Get "http://proxy.golang.org:8080/x.mod": dial tcp: lookup proxy.golang.org on 10.99.1.53:53: read udp 10.99.0.2:5->10.99.1.53:53: i/o timeout\u{1B}[0m
    #8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1
    ------
     > [builder 4/7] RUN go mod download:
    5.120 go: example.com/fl/greeting@v1.0.0: Get "http://proxy.golang.org:8080/x.mod": dial tcp: lookup proxy.golang.org on 10.99.1.53:53: read udp 10.99.0.2:5->10.99.1.53:53: i/o timeout
    ------
    Dockerfile:12
    ERROR: failed to solve: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1
    last line without newline i/o timeout
    """.utf8)

    static func decode(_ bytes: [UInt8], chunk: Int) -> [Event] {
        var decoder = BuildLogDecoder(inputIndex: 0, inputPath: "t.log", anchors: ["i/o timeout", "go: downloading"])
        return TestSupport.feed(&decoder, bytes, chunk: chunk)
    }

    @Test("every chunking gives the same events", arguments: [1, 2, 3, 5, 7, 16, 31, 32, 33, 64, 100, 4096])
    func chunking(_ size: Int) {
        let whole = Self.decode(Self.log, chunk: Self.log.count)
        let split = Self.decode(Self.log, chunk: size)
        #expect(split.map(\.location.line) == whole.map(\.location.line))
        #expect(split.map(\.text) == whole.map(\.text))
        #expect(split.map(\.kind) == whole.map(\.kind))
        #expect(split.map(\.location.byteOffset) == whole.map(\.location.byteOffset))
    }

    @Test("lines, steps, wrappers and times come out right")
    func events() {
        let events = Self.decode(Self.log, chunk: 1 << 20)
        let byLine = Dictionary(events.map { ($0.location.line ?? 0, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byLine[1]?.kind == .stepStart)
        #expect(byLine[1]?.step?.key == "bk:8")
        #expect(byLine[1]?.text == "[builder 4/7] RUN go mod download")
        #expect(byLine[2]?.text == "go: downloading example.com/fl/greeting v1.0.0")
        #expect(byLine[2]?.time.clock == .relative)
        #expect(byLine[2]?.time.seconds == 0.512)
        #expect(byLine[3] == nil, "a line without an anchor is never decoded")
        #expect(byLine[4]?.text.hasPrefix("go: example.com/fl/greeting@v1.0.0: Get") == true, "ANSI removed, prefix peeled")
        #expect(byLine[4]?.step?.name == "[builder 4/7] RUN go mod download")
        #expect(byLine[5]?.kind == .stepFailed)
        #expect(byLine[5]?.subjects["exit_code"] == "1")
        #expect(byLine[8] == nil, "BuildKit's error excerpt repeats earlier output and is skipped")
        #expect(byLine[10]?.kind == .dockerfileLocation)
        #expect(byLine[11]?.kind == .buildFailed)
        #expect(byLine[12]?.text == "last line without newline i/o timeout")
        #expect(byLine[4]?.location.byteOffset == Self.offsetOfLine(4))
    }

    @Test("a paste of BuildKit's error excerpt alone (the tty progress output) is read")
    func excerptAlone() {
        let paste = Array("""
         => ERROR [build 7/7] RUN go build -o main ./main.go                 0.1s
        ------
         > [build 7/7] RUN go build -o main ./main.go:
        0.094 go: go.mod requires go >= 1.24.0 (running go 1.23.8; GOTOOLCHAIN=local)
        ------
        ERROR: failed to solve: process "/bin/sh -c go build -o main ./main.go" did not complete successfully: exit code: 1

        """.utf8)
        var decoder = BuildLogDecoder(inputIndex: 0, inputPath: "t.log", anchors: ["requires go >= "])
        let events = TestSupport.feed(&decoder, paste, chunk: 1 << 20)
        let line = events.first { $0.location.line == 4 }
        #expect(line?.text == "go: go.mod requires go >= 1.24.0 (running go 1.23.8; GOTOOLCHAIN=local)")
        #expect(line?.kind == .logLine)
    }

    static func offsetOfLine(_ number: Int) -> Int {
        var line = 1
        for (index, byte) in log.enumerated() where byte == 0x0A {
            line += 1
            if line == number { return index + 1 }
        }
        return 0
    }

    @Test("a line longer than the limit is cut, reported with its number, and later lines keep their numbers")
    func overlongLine() {
        var bytes = Array("first i/o timeout\n".utf8)
        bytes += Array("huge i/o timeout ".utf8) + [UInt8](repeating: 0x61, count: 3 << 20) + [0x0A]
        bytes += Array("third i/o timeout\n".utf8)
        for chunk in [4096, 1 << 20, 5 << 20] {
            var decoder = BuildLogDecoder(inputIndex: 0, inputPath: "big.log", anchors: ["i/o timeout"], maxLineLength: 1 << 20)
            let events = TestSupport.feed(&decoder, bytes, chunk: chunk)
            #expect(events.map { $0.location.line ?? 0 } == [1, 2, 3], "chunk \(chunk)")
            #expect(decoder.diagnostics.map(\.code) == ["line.too-long"])
            #expect(decoder.diagnostics.first?.line == 2)
            #expect(decoder.recordsSeen == 3)
            #expect(events.last?.location.byteOffset == bytes.count - "third i/o timeout\n".utf8.count)
        }
    }

    @Test("newline counting agrees with a byte loop")
    func newlineCount() {
        var bytes: [UInt8] = []
        for i in 0..<10_000 { bytes.append(i % 7 == 0 ? 0x0A : UInt8(0x41 + i % 26)) }
        let expected = bytes.filter { $0 == 0x0A }.count
        for start in [0, 1, 31, 33] {
            let count = bytes.withUnsafeBytes { ByteCounting.newlines($0.baseAddress!, from: start, to: $0.count) }
            #expect(count == bytes[start...].filter { $0 == 0x0A }.count)
        }
        #expect(bytes.withUnsafeBytes { ByteCounting.newlines($0.baseAddress!, from: 0, to: $0.count) } == expected)
    }

    /// Every line holding a literal, found the slow way.
    static func naiveMatches(_ text: [UInt8], _ literals: [[UInt8]]) -> [Int] {
        var result: [Int] = []
        var number = 1
        var lineStart = 0
        for i in 0...text.count where i == text.count || text[i] == 0x0A {
            let line = text[lineStart..<i]
            if !line.isEmpty, literals.contains(where: { literal in
                line.count >= literal.count && (line.startIndex...(line.endIndex - literal.count)).contains {
                    line[$0..<($0 + literal.count)].elementsEqual(literal)
                }
            }) {
                result.append(number)
            }
            number += 1
            lineStart = i + 1
        }
        return result
    }

    @Test("the vector prefilter (probes, nibble buckets, verification) finds exactly the lines a naive search finds",
          arguments: [(1, ProbeTable.ScanKernel.best), (7, .best), (32, .best), (33, .best), (4096, .best),
                      (33, .avx2Probes), (4096, .avx2Probes), (33, .sse2), (4096, .sse2)])
    func prefilterAgreesWithNaiveSearch(_ chunk: Int, _ kernel: ProbeTable.ScanKernel) {
        // More probes than the kernel has buckets, literals sharing bytes, capitals, punctuation, and one-byte literals.
        let literals = ["npm error", "EAI_AGAIN", "no such host", "i/o timeout", "ERR!", "ENOTFOUND", "x509:", "go: ", ">",
                        "checksum mismatch", "EINTEGRITY", "read-only file system", "403 Forbidden", "permission denied",
                        "--legacy-peer-deps", "Get \"", "#", "timeout", "ETIMEDOUT", "unknown revision", "ia", "qz~"]
        let bytes = literals.map { Array($0.utf8) }
        var generator = SplitMix(seed: 42)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz     ./-:_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\"#>!~".utf8)
        var text: [UInt8] = []
        while text.count < 200_000 {
            let r = generator.next() % 100
            if r < 3 {
                text += bytes[Int(generator.next() % UInt64(bytes.count))]
            } else if r < 8 {
                text.append(0x0A)
            } else {
                text.append(alphabet[Int(generator.next() % UInt64(alphabet.count))])
            }
        }
        var scanner = LiteralLineScanner(literals: literals)
        scanner.kernel = kernel
        var found: [Int] = []
        text.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(raw.count, start + chunk)
                scanner.scan(UnsafeRawBufferPointer(rebasing: raw[start..<end]), onLine: { found.append($0.number) },
                             onOverlong: { _, _ in })
                start = end
            }
        }
        scanner.finish { found.append($0.number) }
        let expected = Self.naiveMatches(text, bytes)
        #expect(expected.count > 1000)
        #expect(found == expected)
    }
}
