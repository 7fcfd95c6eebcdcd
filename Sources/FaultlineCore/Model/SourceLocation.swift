/// Where in which input an event came from: enough to point a person at it.
public struct SourceLocation: Sendable, Hashable {
    /// Index of the input in the case (into `Report.inputs`).
    public var input: Int
    /// 1-based line number, for text inputs.
    public var line: Int?
    /// Byte offset of the start of the line or record in the (decompressed) input.
    public var byteOffset: Int?
    /// 1-based frame number, for captures.
    public var frame: Int?

    public init(input: Int, line: Int? = nil, byteOffset: Int? = nil, frame: Int? = nil) {
        self.input = input
        self.line = line
        self.byteOffset = byteOffset
        self.frame = frame
    }
}
