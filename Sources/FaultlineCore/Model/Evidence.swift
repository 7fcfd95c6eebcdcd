/// One piece of input that supports a hypothesis: where it is, when, and what it says.
public struct Evidence: Sendable, Hashable {
    /// The input's path as given by the user.
    public var input: String
    public var line: Int?
    public var frame: Int?
    public var byteOffset: Int?
    public var time: EventTime
    /// The text as it appeared in the input (wrappers removed).
    public var text: String
    /// What this piece shows, e.g. the signature id or `step failed`.
    public var role: String?

    public init(input: String, line: Int? = nil, frame: Int? = nil, byteOffset: Int? = nil,
                time: EventTime = .unknown, text: String, role: String? = nil) {
        self.input = input
        self.line = line
        self.frame = frame
        self.byteOffset = byteOffset
        self.time = time
        self.text = text
        self.role = role
    }
}
