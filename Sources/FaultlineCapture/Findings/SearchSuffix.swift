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
    /// `isKnown` says whether the capture also has a name (for the bare base).
    static func split(_ name: String, isKnown: (String) -> Bool) -> (base: String, suffix: String)? {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 3, !labels.contains(where: \.isEmpty) else { return nil }
        for cut in 1...(labels.count - 2) {
            let baseLabels = labels[0...cut]
            let suffixLabels = labels[(cut + 1)...]
            if suffixLabels.count == 1, suffixLabels.first?.count == 2 { continue }
            let base = baseLabels.joined(separator: ".")
            let last = baseLabels.last ?? ""
            if topLevel.contains(last) || isKnown(base) {
                return (base, suffixLabels.joined(separator: "."))
            }
        }
        return nil
    }
}
