/// The things an event or hypothesis is about: host, nameserver, module, URL, status, path…
///
/// Keys are plain strings so that rule packs can name new subjects without
/// recompiling; the well-known ones are constants on `Subjects.Key`.
public struct Subjects: Sendable, Hashable {
    /// Well-known subject names shared by parsers, rules and correlation.
    public enum Key {
        public static let host = "host"
        public static let nameserver = "nameserver"
        public static let module = "module"
        public static let version = "version"
        public static let url = "url"
        public static let status = "status"
        public static let path = "path"
        public static let address = "address"
        public static let proxy = "proxy"
        public static let package = "package"
        public static let step = "step"
        public static let exitCode = "exit_code"
    }

    public private(set) var values: [String: String]
    /// Keys whose values were borrowed from neighbouring lines (`SignatureContext`), not
    /// stated by the event's own line: they name the hypothesis but do not decide what
    /// the event is about when events are grouped.
    public private(set) var borrowed: Set<String> = []

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    public var isEmpty: Bool { values.isEmpty }

    /// Keys in a stable order: well-known first, then the rest alphabetically.
    public var sortedKeys: [String] {
        let order = [Key.host, Key.nameserver, Key.address, Key.proxy, Key.module, Key.version,
                     Key.package, Key.url, Key.status, Key.path, Key.step, Key.exitCode]
        let known = order.filter { values[$0] != nil }
        let rest = values.keys.filter { !order.contains($0) }.sorted()
        return known + rest
    }

    /// Adds every subject of `other` that this one does not have yet.
    public mutating func fill(from other: Subjects) {
        for (k, v) in other.values where values[k] == nil {
            values[k] = v
            if other.borrowed.contains(k) { borrowed.insert(k) }
        }
    }

    /// Adds every subject of `other` that this one does not have yet, as borrowed.
    public mutating func borrow(from other: Subjects) {
        for (k, v) in other.values where values[k] == nil {
            values[k] = v
            borrowed.insert(k)
        }
    }
}
