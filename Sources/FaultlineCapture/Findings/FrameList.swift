/// Frame numbers as people read them: `frames 1–4`, `frames 1, 3, 7–9`, `frame 5`.
enum FrameList {
    /// At most `limit` runs are written (`, …` says there are more); the runs past them are not made.
    static func text(_ frames: [Int], limit: Int = 12) -> String {
        let sorted = frames.sorted()
        guard let first = sorted.first, let last = sorted.last else { return "no frames" }
        if first == last { return "frame \(first)" }
        var parts: [String] = []
        var start = first
        var previous = first
        func close() {
            parts.append(start == previous ? "\(start)" : previous == start + 1 ? "\(start), \(previous)" : "\(start)–\(previous)")
        }
        // Sorted, so a frame given twice comes twice in a row.
        for frame in sorted.dropFirst() where frame != previous {
            if frame == previous + 1 {
                previous = frame
                continue
            }
            close()
            if parts.count > limit { break }
            start = frame
            previous = frame
        }
        if parts.count <= limit { close() }
        let shown = parts.prefix(limit).joined(separator: ", ")
        return "frames " + shown + (parts.count > limit ? ", …" : "")
    }
}
