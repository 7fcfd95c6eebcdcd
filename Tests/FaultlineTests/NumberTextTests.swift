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
}
