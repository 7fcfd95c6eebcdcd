/// Recognises a name that is another name with a resolver search domain
/// appended (`proxy.golang.org.corp.example`, `github.com.default.svc.cluster.local`):
/// what `ndots` and `search` in resolv.conf make a stub resolver try first.
///
/// A name counts when it splits into a base of at least two labels ending in a
/// top-level domain (or that the capture also asks for bare) and a suffix that
/// is not just a country code (`google.com.au` is a real name).
enum SearchSuffix {
    static let topLevel: Set<Substring> = [
        "com", "org", "net", "io", "dev", "app", "edu", "gov", "mil", "int", "info", "biz", "cloud", "ai", "xyz",
        "me", "tech", "site", "online", "co", "us", "uk", "de", "fr", "nl", "eu", "jp", "cn", "ru", "in", "br",
        "au", "ca", "ch", "se", "no", "es", "it", "pl", "be", "at", "dk", "fi", "cz", "sh", "to", "tv", "cc",
        "ly", "gg", "so", "run", "page", "build", "sh", "zone", "services", "systems", "tools", "software",
    ]

    /// The base name and the suffix, when `name` looks like a search-list expansion.
    /// `isKnown` says whether the capture also has a name (for the bare base). Both are slices of
    /// `name`: nothing is joined or copied to try a cut.
    static func split(_ name: String, isKnown: (Substring) -> Bool) -> (base: Substring, suffix: Substring)? {
        let labels = Self.labels(name)
        guard labels.count >= 3, !labels.contains(where: \.isEmpty) else { return nil }
        for cut in 1...(labels.count - 2) {
            let suffix = name[labels[cut + 1].startIndex...]
            if cut + 1 == labels.count - 1, suffix.count == 2 { continue }
            let base = name[..<labels[cut].endIndex]
            if topLevel.contains(labels[cut]) || isKnown(base) { return (base, suffix) }
        }
        return nil
    }

    /// `name`'s labels, empty ones kept, as slices of it: split at each "." byte (a name's text is
    /// escaped ASCII, so no "." belongs to a larger character), without walking its characters.
    static func labels(_ name: String) -> [Substring] {
        var out: [Substring] = []
        let utf8 = name.utf8
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            if utf8[i] == UInt8(ascii: ".") {
                out.append(name[start..<i])
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        out.append(name[start...])
        return out
    }
}
