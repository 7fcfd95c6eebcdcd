/// Parsing of the wall-clock time formats inputs carry, on bytes.
public enum Timestamp {
    /// Parses an RFC 3339 time (`2026-11-26T03:40:01.1234567Z`, `…+01:00`, a space
    /// instead of `T` is accepted) at the start of `bytes`.
    ///
    /// - Returns: seconds since the Unix epoch and how many bytes the time took, or nil.
    public static func parseRFC3339(_ bytes: UnsafeRawBufferPointer) -> (seconds: Double, length: Int)? {
        guard bytes.count >= 19 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                let b = bytes[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == 0x2D, let month = digits(5, 2), bytes[7] == 0x2D,
              let day = digits(8, 2), bytes[10] == 0x54 || bytes[10] == 0x20,
              let hour = digits(11, 2), bytes[13] == 0x3A, let minute = digits(14, 2), bytes[16] == 0x3A,
              let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == 0x2E || bytes[index] == 0x2C {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            let b = bytes[index]
            if b == 0x5A || b == 0x7A {
                index += 1
            } else if (b == 0x2B || b == 0x2D), index + 6 <= bytes.count,
                      let oh = digits(index + 1, 2), bytes[index + 3] == 0x3A, let om = digits(index + 4, 2) {
                offsetSeconds = (oh * 3600 + om * 60) * (b == 0x2B ? 1 : -1)
                index += 6
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return (seconds, index)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Formats epoch seconds as RFC 3339 UTC with milliseconds (`2026-11-26T03:40:01.123Z`).
    public static func formatRFC3339(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded(.down))
        var days = millis / 86_400_000
        var rem = millis % 86_400_000
        if rem < 0 { rem += 86_400_000; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let h = rem / 3_600_000, m = rem / 60_000 % 60, s = rem / 1000 % 60, ms = rem % 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }
}
