/// A problem with the input itself (unreadable, truncated, binary, over-long line…),
/// reported as data beside the analysis instead of stopping it.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    /// A stable machine-readable code such as `input.missing` or `line.too-long`.
    public var code: String
    public var message: String
    /// The input's path as the user gave it (`-` for standard input).
    public var input: String
    public var line: Int?
    public var byteOffset: Int?
    public var frame: Int?
    public var severity: Severity

    public init(code: String, message: String, input: String, line: Int? = nil,
                byteOffset: Int? = nil, frame: Int? = nil, severity: Severity = .error) {
        self.code = code
        self.message = message
        self.input = input
        self.line = line
        self.byteOffset = byteOffset
        self.frame = frame
        self.severity = severity
    }

    /// `input:line: message` (or `input: byte N: …`, `input: frame N: …`), the way compilers print locations.
    public var description: String {
        var place = input
        if let line { place += ":\(line)" }
        if let frame { place += ": frame \(frame)" }
        if line == nil, frame == nil, let byteOffset { place += ": byte \(byteOffset)" }
        return "\(place): \(severity.name): \(message) [\(code)]"
    }
}
