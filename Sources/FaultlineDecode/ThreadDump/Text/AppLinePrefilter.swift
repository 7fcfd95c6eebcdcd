/// Decides whether an application line beside a dump is worth a closer look:
/// does it hold one of a set of literals (the rule packs' anchors, or the
/// words that introduce a host name)?
///
/// Only lines outside the dumps (or interleaved in them) are asked, one at a
/// time, so the dumps' own lines — most of a thread dump — are never scanned
/// for anchors; the vectorised `LiteralLineScanner` does the looking.
struct AppLinePrefilter {
    private var scanner: LiteralLineScanner
    private var planned = false
    private var buffer: [UInt8] = []

    init(literals: [String], maxLineLength: Int) {
        scanner = LiteralLineScanner(literals: literals, maxLineLength: maxLineLength)
    }

    /// Chooses the scanner's probes from a sample of the input (its first chunk).
    mutating func plan(sample: UnsafeRawBufferPointer) {
        guard !planned else { return }
        planned = true
        scanner.plan(sample: sample)
    }

    mutating func matches(_ line: UnsafeRawBufferPointer) -> Bool {
        guard !scanner.literals.isEmpty else { return false }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        let bytes = buffer
        var hit = false
        bytes.withUnsafeBytes { raw in
            scanner.scan(raw, onLine: { _ in hit = true }, onOverlong: { _, _ in })
        }
        return hit
    }
}
