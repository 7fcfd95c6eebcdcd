/// Finds the lines a person would point at above a failure mark: the CI's
/// `The command "npm test" exited with 1.` or `##[error]Process completed with exit
/// code 1.` says *that* a step failed, the lines its tool printed just before say
/// *why* — even when no signature knows their wording (`Package size limit has
/// exceeded by 934 B`, `No Rakefile found`, `Invalid Tailwind CSS classnames order`).
///
/// Runs only at a failure mark, on the bytes just before it: it walks back at most
/// `maxLinesBack` lines, stops at the start of the step (`$ cmd`, `##[group]`,
/// `Step 3/9 :`), skips the runner's and npm's closing blocks, and keeps the first
/// few lines that read as errors.
enum FailureContext {
    static let maxLinesBack = 60
    static let maxPicked = 4

    /// A line picked above a failure mark: its number, byte offset and unwrapped text.
    struct Picked {
        var number: Int
        var offset: Int
        var line: UnwrappedLine
    }

    /// Picks from `before` — the input's bytes just before the mark's line, which starts at
    /// byte `markOffset` — whose last line is number `markLine - 1`. `reachesStart` says
    /// whether `before` begins at the input's first byte (else its first line is cut, and skipped).
    static func pick(before: [UInt8], reachesStart: Bool, markLine: Int, markOffset: Int, skipping seen: Set<Int>) -> [Picked] {
        var found: [Picked] = []
        var end = before.count
        var number = markLine - 1
        var walked = 0
        var parser = EnvelopeParser()
        // Drop the newline that ends the last line before the mark.
        if end > 0, before[end - 1] == 0x0A { end -= 1 }
        while walked < maxLinesBack, number >= 1 {
            guard let newline = before[..<end].lastIndex(of: 0x0A) else {
                if !reachesStart || end == 0 && before.isEmpty { break }
                // The input's first line.
                let unwrapped = before[0..<end].withUnsafeBytes { parser.unwrap($0) }
                if !startsStep(unwrapped), !seen.contains(number), !isNoise(unwrapped.payload), looksLikeError(unwrapped.payload) {
                    found.append(Picked(number: number, offset: markOffset - before.count, line: unwrapped))
                }
                break
            }
            let start = newline + 1
            let unwrapped = before[start..<end].withUnsafeBytes { parser.unwrap($0) }
            let text = unwrapped.payload
            if startsStep(unwrapped) { break }
            if !seen.contains(number), !isNoise(text), looksLikeError(text) {
                found.append(Picked(number: number, offset: markOffset - (before.count - start), line: unwrapped))
            }
            walked += 1
            number -= 1
            end = newline
        }
        // The first error lines of the step are where a person starts reading.
        return Array(found.reversed().prefix(maxPicked))
    }

    static func startsStep(_ line: UnwrappedLine) -> Bool {
        if case .groupStart? = line.ciMarker { return true }
        let text = line.payload
        return text.hasPrefix("$ ") || (text.hasPrefix("Step ") && text.contains(" : ")) || (line.vertex != nil && text.hasPrefix("["))
            || (text.hasPrefix("STEP ") && text.contains(": ")) || text.drop(while: { $0 == " " }).hasPrefix("[STEP] ")
    }

    /// Closing blocks and chatter that say a failure happened, not why.
    static func isNoise(_ text: String) -> Bool {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
        if trimmed.isEmpty || trimmed.hasPrefix("at ") { return true }
        for prefix in ["npm ERR!", "npm error", "npm WARN", "npm warn", "error Command failed", "info Visit", "The command ",
                       "Done. Your build", "##[", "make: ***", "make[", "Process completed", "ELIFECYCLE", "Exited with code"]
            where trimmed.hasPrefix(prefix) { return true }
        let lower = trimmed.lowercased()
        for marker in ["exited with", "exit code", "exit status", "0 errors", "0 failed", "0 failing", " passing", "✓", "✔"]
            where lower.contains(marker) { return true }
        return false
    }

    static let errorWords = ["error", "fail", "✖", "✗", "×", "not ok", "exception", "invalid", "exceeded", "no such file",
                             "not found", "cannot ", "can't ", "unable to", "undefined", "denied", "refused", "missing",
                             "expected", "assert", "panic:", "fatal", "please commit", "did not ", "differ", "mismatch",
                             "not allowed", "unexpected", "violation", "is not defined", "segmentation fault", "core dumped",
                             "killed", "out of memory", "timed out", "timeout"]

    static func looksLikeError(_ text: String) -> Bool {
        let lower = text.lowercased()
        return errorWords.contains { lower.contains($0) }
    }
}
