import Foundation

/// The zone in which a dump's local timestamp line (`2025-12-22 13:30:12`) is read.
///
/// HotSpot prints that line in the JVM's local time without a zone, so the
/// reader must say which zone it was: `UTC` (the default), a fixed offset
/// (`+02:00`, `-0530`) or an IANA name (`Europe/Berlin`, daylight saving
/// applied for the date in question).
public struct DumpTimeZone: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case fixed(Int)
        case named(String)
    }

    private let kind: Kind
    /// What the user wrote, normalised (`UTC`, `+02:00`, `Europe/Berlin`).
    public let description: String

    public static let utc = DumpTimeZone(kind: .fixed(0), description: "UTC")

    private init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }

    /// Parses `UTC`, `Z`, `GMT`, `+02:00`, `+0200`, `-05`, `UTC+2` or an IANA zone name; nil if unknown.
    public init?(_ text: String) {
        let name = text.trimmingCharacters(in: .whitespaces)
        if ["utc", "z", "gmt", "uct"].contains(name.lowercased()) {
            self = .utc
            return
        }
        var offsetText = Substring(name)
        for lead in ["UTC", "GMT", "utc", "gmt"] where offsetText.hasPrefix(lead) && offsetText.count > 3 {
            offsetText = offsetText.dropFirst(3)
        }
        if let sign = offsetText.first, sign == "+" || sign == "-" {
            let digits = offsetText.dropFirst().filter { $0 != ":" }
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isNumber) else { return nil }
            let hours: Int
            let minutes: Int
            if digits.count <= 2 {
                hours = Int(digits) ?? 0
                minutes = 0
            } else {
                hours = Int(digits.prefix(digits.count - 2)) ?? 0
                minutes = Int(digits.suffix(2)) ?? 0
            }
            guard hours <= 18, minutes < 60 else { return nil }
            let seconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
            let hh = hours < 10 ? "0\(hours)" : "\(hours)"
            let mm = minutes < 10 ? "0\(minutes)" : "\(minutes)"
            self.init(kind: .fixed(seconds), description: "\(sign)\(hh):\(mm)")
            return
        }
        guard name.contains("/") || name.count > 3, TimeZone(identifier: name) != nil else { return nil }
        self.init(kind: .named(name), description: name)
    }

    /// Converts a local time (seconds since the epoch as if it were UTC) to UTC.
    public func utc(fromLocal local: Double) -> Double {
        switch kind {
        case .fixed(let offset):
            return local - Double(offset)
        case .named(let name):
            guard let zone = TimeZone(identifier: name) else { return local }
            // The offset at the instant itself: guess with the offset at `local`, then correct once.
            let guess = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
            let offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - guess)))
            return local - offset
        }
    }

    /// Offsets of the zone abbreviations seen in old HotSpot headers (`[… KST 2008]`).
    static func abbreviationOffset(_ name: String) -> Int? {
        let table: [String: Int] = [
            "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 3600, "CET": 3600, "CEST": 7200, "EET": 7200, "EEST": 10800,
            "MSK": 10800, "IST": 19800, "SGT": 28800, "HKT": 28800, "CST": -21600, "CDT": -18000, "EST": -18000,
            "EDT": -14400, "MST": -25200, "MDT": -21600, "PST": -28800, "PDT": -25200, "KST": 32400, "JST": 32400,
            "AEST": 36000, "AEDT": 39600, "NZST": 43200, "NZDT": 46800,
        ]
        return table[name]
    }
}
