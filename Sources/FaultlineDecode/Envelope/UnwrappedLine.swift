public import FaultlineCore

/// One log line with its CI and Docker wrappers peeled off, and what those wrappers said.
public struct UnwrappedLine: Sendable {
    /// A workflow command or section marker the CI wrapper carried.
    public enum CIMarker: Sendable, Equatable {
        /// GitHub Actions `##[group]NAME`, GitLab `section_start:TS:NAME`.
        case groupStart(String)
        /// `##[endgroup]`, `section_end:TS:NAME`.
        case groupEnd
        /// `##[error]TEXT` (the text stays in the payload).
        case error
        /// `##[warning]TEXT`.
        case warning
    }

    /// The tool's own text: what is left after every wrapper.
    public var payload: String
    /// Wall-clock time from a CI prefix (GitHub Actions, GitLab runner) or a section marker.
    public var ciTime: Double?
    public var ciMarker: CIMarker?
    /// BuildKit vertex number (`#8`).
    public var vertex: Int?
    /// Seconds since the BuildKit vertex started (`#8 12.345`), or the bare elapsed
    /// prefix of lines in BuildKit's error excerpt (`12.34 go: …`).
    public var elapsed: Double?
    /// The line is part of BuildKit's `------` error excerpt, which repeats earlier output.
    public var isExcerpt: Bool
    /// Wrappers found on this line, outermost first (`github-actions`, `buildkit`).
    public var wrappers: [String]
    /// The level a logging library wrapped the line in (`- builder - ERROR - `), if any.
    public var loggedSeverity: Severity? = nil
}
