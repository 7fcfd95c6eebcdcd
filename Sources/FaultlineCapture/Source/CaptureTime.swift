/// A capture timestamp: nanoseconds since the Unix epoch, exact (no floating
/// point), so differences such as a round-trip time print without rounding noise.
public struct CaptureTime: Hashable, Comparable, Sendable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public init(seconds: Int64, nanoseconds: Int64) { self.nanoseconds = seconds &* 1_000_000_000 &+ nanoseconds }

    /// Seconds since the epoch as a `Double` (for `EventTime`).
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (lhs: CaptureTime, rhs: CaptureTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func - (lhs: CaptureTime, rhs: CaptureTime) -> Int64 { lhs.nanoseconds &- rhs.nanoseconds }

    /// `1299470395.000792` with `digits` decimals (6 for microsecond captures, 9 for nanosecond ones).
    public func text(digits: Int) -> String {
        var out: [UInt8] = []
        Self.appendFixed(nanoseconds, digits: digits, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `nanos` (a time or an interval in nanoseconds) as seconds with `digits` decimals, truncating.
    static func appendFixed(_ nanos: Int64, digits: Int, to out: inout [UInt8]) {
        var value = nanos
        if value < 0 {
            out.append(0x2D)
            value = value == Int64.min ? Int64.max : -value
        }
        let whole = value / 1_000_000_000
        var fraction = value % 1_000_000_000
        appendDecimal64(UInt64(whole), to: &out)
        let digits = max(0, min(9, digits))
        guard digits > 0 else { return }
        out.append(0x2E)
        var divisor: Int64 = 100_000_000
        for _ in 0..<digits {
            out.append(0x30 &+ UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}

/// Appends the decimal digits of a 64-bit value.
func appendDecimal64(_ value: UInt64, to out: inout [UInt8]) {
    if value <= UInt64(UInt32.max) {
        appendDecimal(UInt32(value), to: &out)
        return
    }
    let high = value / 1_000_000_000
    let low = UInt32(value % 1_000_000_000)
    appendDecimal64(high, to: &out)
    var divisor: UInt32 = 100_000_000
    var rest = low
    while divisor > 0 {
        out.append(0x30 &+ UInt8(rest / divisor))
        rest %= divisor
        divisor /= 10
    }
}
