/// Keeps one `String` per distinct short text (class names, state details,
/// header words) so a dump of 20,000 threads that all say
/// `waiting on condition` allocates that string once.
struct StringInterner: Sendable {
    private var table: [UInt64: String] = [:]

    mutating func intern(_ bytes: UnsafeRawBufferPointer) -> String {
        let h = ByteText.hash(bytes)
        if let known = table[h], known.utf8.elementsEqual(bytes) { return known }
        let text = ByteText.string(bytes)
        if table[h] == nil { table[h] = text }
        return text
    }
}
