public import FaultlineCore

/// Where one input of a case comes from: a path to open (a file, or `-` for
/// standard input), bytes already in memory under a name (an archive member
/// read by `faultline batch`), or an input that could not be read at all.
///
/// Every kind goes through the same `InputReader`, format detection and
/// decoders, so an archive member is analysed exactly as the same file on disk.
public enum InputSource: Sendable {
    /// A file, or `-` for standard input.
    case path(String)
    /// Bytes already read (gzip-compressed or not), under the name reports show for them.
    case bytes(name: String, [UInt8])
    /// An input that could not be read; its diagnostic names it and says why.
    case unreadable(Diagnostic)

    /// The name reports show for the input.
    public var name: String {
        switch self {
        case .path(let path): return path
        case .bytes(let name, _): return name
        case .unreadable(let diagnostic): return diagnostic.input
        }
    }
}
