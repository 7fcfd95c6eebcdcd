/// Frame numbers as people read them: `frames 1–4`, `frames 1, 3, 7–9`, `frame 5`.
enum FrameList {
    static func text(_ frames: [Int], limit: Int = 12) -> String {
        let sorted = Array(Set(frames)).sorted()
        guard let first = sorted.first else { return "no frames" }
        if sorted.count == 1 { return "frame \(first)" }
        var parts: [String] = []
        var start = first
        var previous = first
        for frame in sorted.dropFirst() + [Int.max] {
            if frame == previous + 1 {
                previous = frame
                continue
            }
            parts.append(start == previous ? "\(start)" : previous == start + 1 ? "\(start), \(previous)" : "\(start)–\(previous)")
            start = frame
            previous = frame
        }
        let shown = parts.prefix(limit).joined(separator: ", ")
        return "frames " + shown + (parts.count > limit ? ", …" : "")
    }
}
