/// One token of a JSON document, as `JSONStreamReader` reads it.
enum JSONToken: Sendable {
    case beginObject, endObject, beginArray, endArray
    case key(String)
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
}

/// Receives the tokens a `JSONStreamReader` reads.
protocol JSONTokenSink {
    /// `line` is the 1-based line of the token's first byte, `offset` its byte offset.
    mutating func token(_ token: JSONToken, line: Int, offset: Int)
}
