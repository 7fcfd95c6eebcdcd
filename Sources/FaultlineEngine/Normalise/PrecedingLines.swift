import FaultlineCore
import FaultlineRules

/// The last few lines each input's decoder surfaced, for a signature whose
/// line leaves a subject to the lines just before it (`SignatureContext`):
/// git's `terminal prompts disabled` under Go's `go: module@version: … exit
/// status 128:`, npm's `getaddrinfo EAI_AGAIN` under the debug log's
/// `http request GET URL`. Bounded: `capacity` lines per input, of the inputs
/// that are being read.
struct PrecedingLines {
    static let capacity = 24
    private var lines: [Int: RingBuffer<(line: Int, text: String)>] = [:]

    /// Remembers a surfaced line of `input` (after it was classified, so it is not its own context).
    mutating func remember(_ event: Event) {
        guard let line = event.location.line, event.location.frame == nil else { return }
        lines[event.location.input, default: RingBuffer(capacity: Self.capacity)].append((line, event.text))
    }

    /// Fills what `subjects` lacks from the nearest earlier context lines of the event's input, as borrowed.
    func fill(_ subjects: inout Subjects, for event: Event, context: SignatureContext.Compiled) {
        guard let line = event.location.line, let recent = lines[event.location.input] else { return }
        for earlier in recent.elements.sorted(by: { $0.line > $1.line }) where earlier.line < line && earlier.line >= line - context.lines {
            if let found = context.subjects(from: earlier.text) { subjects.borrow(from: found) }
        }
    }
}
