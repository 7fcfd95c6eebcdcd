/// Recognises a name that is another name with a resolver search domain
/// appended (`proxy.golang.org.corp.example`, `github.com.default.svc.cluster.local`):
/// what `ndots` and `search` in resolv.conf make a stub resolver try first.
///
/// A name counts when it splits into a base of at least two labels ending in a
/// top-level domain (or that the capture also asks for bare) and a suffix that
/// is not just a country code (`google.com.au` is a real name).
enum SearchSuffix {
    static let topLevel: Set<UInt64> = Set([
        "com", "org", "net", "io", "dev", "app", "edu", "gov", "mil", "int", "info", "biz", "cloud", "ai", "xyz",
        "me", "tech", "site", "online", "co", "us", "uk", "de", "fr", "nl", "eu", "jp", "cn", "ru", "in", "br",
        "au", "ca", "ch", "se", "no", "es", "it", "pl", "be", "at", "dk", "fi", "cz", "sh", "to", "tv", "cc",
        "ly", "gg", "so", "run", "page", "build", "sh", "zone", "services", "systems", "tools", "software",
    ].map { (label: String) in Array(label.utf8).withUnsafeBytes { packed($0) } })

    /// A label of at most eight bytes packed into one word (0 for a longer or empty one): how
    /// `topLevel` is looked up without making a string.
    static func packed(_ label: UnsafeRawBufferPointer) -> UInt64 {
        guard !label.isEmpty, label.count <= 8 else { return 0 }
        var word: UInt64 = 0
        for (i, byte) in label.enumerated() { word |= UInt64(byte) << (8 * UInt64(i)) }
        return word
    }

    /// Where `name` (a name's text) splits into a base and a suffix, when it looks like a
    /// search-list expansion: the base is `name[..<baseEnd]`, the suffix `name[(baseEnd + 1)...]`.
    /// `isKnown` says whether the capture also has a name (for the bare base). Read on the bytes:
    /// nothing is copied to try a cut.
    static func split(_ name: UnsafeRawBufferPointer, isKnown: (UnsafeRawBufferPointer) -> Bool) -> Int? {
        // The dots, up to the most a name can hold; each label must be non-empty.
        var dots: [Int] = []
        var previous = -1
        for (i, byte) in name.enumerated() where byte == UInt8(ascii: ".") {
            guard i > previous + 1 else { return nil }
            dots.append(i)
            previous = i
        }
        guard dots.count >= 2, previous + 1 < name.count else { return nil }
        let labels = dots.count + 1
        for cut in 1...(labels - 2) {
            let baseEnd = dots[cut]
            // The suffix a country code alone: `google.com.au` is a real name.
            if cut + 1 == labels - 1, name.count - (baseEnd + 1) == 2 { continue }
            let label = UnsafeRawBufferPointer(rebasing: name[(dots[cut - 1] + 1)..<baseEnd])
            if topLevel.contains(packed(label)) || isKnown(UnsafeRawBufferPointer(rebasing: name[..<baseEnd])) { return baseEnd }
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
