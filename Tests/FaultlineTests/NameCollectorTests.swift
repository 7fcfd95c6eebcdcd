import Testing
@testable import FaultlineCapture

/// The name collector that lower-cases labels as it copies them a word at a time: every name,
/// wherever it ends in the message (the last bytes are read one at a time), reads back
/// lower-cased with capitals noticed, against a byte-by-byte reference.
@Suite("Name collector")
struct NameCollectorTests {
    static let alphabet = Array("abcxyzABCXYZ019-_@[`{~".utf8) + [0x80, 0xC3, 0xFF]

    @Test("names of every length, any case, up to the message's last byte")
    func collectsLowerCased() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3_000 {
            var labels: [[UInt8]] = []
            var textLength = -1
            while labels.count < 6 {
                let length = Int.random(in: 1...20, using: &generator)
                if textLength + 1 + length > DNSName.inlineCapacity { break }
                labels.append((0..<length).map { _ in Self.alphabet.randomElement(using: &generator) ?? 0x61 })
                textLength += 1 + length
            }
            let text = labels.joined(separator: [0x2E]).map { $0 }
            let lower = text.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            // The name at the end of the message, or with some bytes after it.
            let prefix = [UInt8](repeating: 0xEE, count: round % 13)
            let suffix = [UInt8](repeating: 0x41, count: round % 3 == 0 ? 0 : round % 11)
            let message = prefix + labels.flatMap { [UInt8($0.count)] + $0 } + [0] + suffix
            var scratch = [UInt8](repeating: 0xAA, count: 64)
            let (name, sawUppercase, count) = scratch.withUnsafeMutableBytes { raw -> (DNSName, Bool, Int) in
                var collector = RawNameCollector(base: raw.baseAddress!)
                let walked = message.withUnsafeBytes { DNSNameReader().walk($0, at: prefix.count, into: &collector) }
                #expect((try? walked.get()) == prefix.count + labels.reduce(0) { $0 + 1 + $1.count } + 1)
                #expect(!collector.tooLong)
                let (name, sawUppercase) = collector.finish()
                return (name, sawUppercase, collector.count)
            }
            #expect(count == lower.count)
            #expect(Array(scratch.prefix(count)) == lower, "collected in place")
            #expect(name.withUnsafeBytes { Array($0) } == lower, "as a DNSName")
            #expect(sawUppercase == (lower != text))
        }
    }

    @Test("a name longer than the inline capacity is only marked too long")
    func tooLong() {
        let label = [UInt8](repeating: 0x61, count: 30)
        let message = [30] + label + [30] + label + [0]
        var scratch = [UInt8](repeating: 0, count: 64)
        scratch.withUnsafeMutableBytes { raw in
            var collector = RawNameCollector(base: raw.baseAddress!)
            _ = message.withUnsafeBytes { DNSNameReader().walk($0, at: 0, into: &collector) }
            #expect(collector.tooLong)
        }
    }
}
