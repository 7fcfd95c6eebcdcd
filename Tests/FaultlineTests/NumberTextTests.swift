import Testing
@testable import FaultlineCapture

/// The output writer's decimal numbers against Swift's own text, across every digit count and
/// the boundaries between the writer's paths (one digit, up to five at once, longer).
@Suite("Number text")
struct NumberTextTests {
    static func written(_ value: UInt64) -> String {
        var sink = ByteSink(capacity: 64)
        defer { sink.deallocate() }
        var cursor = sink.cursor(room: 32)
        cursor = ByteCursor.decimal(value, cursor)
        sink.end(cursor)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    @Test("every value below 200,000, and powers of ten and their neighbours up to 2⁶⁴ − 1")
    func decimals() {
        for value in UInt64(0)..<200_000 where Self.written(value) != String(value) {
            Issue.record("\(value) written as \(Self.written(value))")
        }
        var power: UInt64 = 1
        var values: [UInt64] = [UInt64.max, UInt64.max - 1]
        for _ in 0..<19 {
            power *= 10
            values += [power - 1, power, power + 1]
        }
        for value in values {
            #expect(Self.written(value) == String(value))
        }
    }

    /// Seconds and `digits` decimals of a nanosecond count, truncated, the slow way.
    static func reference(_ nanos: Int64, digits: Int) -> String {
        let magnitude = nanos.magnitude
        var fraction = String(magnitude % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        return (nanos < 0 ? "-" : "") + String(magnitude / 1_000_000_000) + (digits > 0 ? "." + fraction.prefix(digits) : "")
    }

    @Test("times and intervals with 6 and 9 decimals, as captures give them")
    func fractions() {
        var generator = SystemRandomNumberGenerator()
        var values: [Int64] = [0, 1, 999, 1000, 999_999, 1_000_000, 999_999_999, 1_000_000_000, 1_767_225_600_000_087_000, -1_500]
        for _ in 0..<20_000 { values.append(Int64.random(in: 0...2_000_000_000_000_000_000, using: &generator)) }
        for _ in 0..<2_000 { values.append(Int64.random(in: 0...5_000_000_000, using: &generator)) }
        for digits in [6, 9] {
            for nanos in values {
                var sink = ByteSink(capacity: 64)
                var cursor = sink.cursor(room: 32)
                cursor = ByteCursor.fixed(nanos, digits: digits, cursor)
                sink.end(cursor)
                let text = String(decoding: sink.bytes, as: UTF8.self)
                sink.deallocate()
                #expect(text == Self.reference(nanos, digits: digits), "\(nanos) with \(digits) decimals")
            }
        }
    }
}
