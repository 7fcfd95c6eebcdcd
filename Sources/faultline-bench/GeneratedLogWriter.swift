import Faultline
#if canImport(Glibc)
import Glibc
#endif

/// Writes a generated benchmark log in 1 MiB blocks: each line is a CI
/// timestamp and a text, and the writer counts the bytes written so a
/// generator can stop at its target size. The shared part of every log generator.
struct GeneratedLogWriter {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer = ""
    /// Bytes handed to the file so far.
    private(set) var written = 0

    init(file: UnsafeMutablePointer<FILE>) {
        self.file = file
        buffer.reserveCapacity(1 << 20)
    }

    /// The GitHub Actions timestamp of a generated line, `second` seconds into the run.
    static func stamp(second: Int, rng: inout SplitMix) -> String {
        "2026-11-26T04:\(pad((second / 60) % 60)):\(pad(second % 60)).\(pad7(Int(rng.next() % 10_000_000)))Z "
    }

    mutating func append(stamp: String, text: String) {
        buffer += stamp
        buffer += text
        buffer += "\n"
        if buffer.utf8.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        written += buffer.utf8.count
        buffer.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        buffer.removeAll(keepingCapacity: true)
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    static func pad3(_ v: Int) -> String { v < 10 ? "00\(v)" : v < 100 ? "0\(v)" : "\(v)" }
    static func pad7(_ v: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, 7 - s.count)) + s
    }
}
