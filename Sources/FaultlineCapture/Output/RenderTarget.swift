/// Where a record's rendering goes: straight into a JSON record (bytes from
/// the capture escaped on the way) or into plain text for events and
/// terminals. Generic, so the NDJSON path never makes an intermediate copy.
protocol RenderTarget {
    /// Our own text (`TXT `, `RRSIG `), written as is.
    mutating func literal(_ text: StaticString)
    /// Bytes from the capture (names, TXT data), escaped as the target needs.
    mutating func data(_ bytes: UnsafeRawBufferPointer)
    mutating func data(byte: UInt8)
    /// A name's label from the capture, lower-cased (A–Z only), escaped as `data`.
    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int)
    mutating func decimal(_ value: UInt64)
    mutating func address(_ address: IPAddress)
    /// Bytes written so far (to tell an empty rendering).
    var written: Int { get }
}

/// Renders into a JSON string being built in a `ByteSink`.
struct JSONRenderTarget: RenderTarget {
    var sink: ByteSink

    @inline(__always) mutating func literal(_ text: StaticString) { sink.append(text) }
    @inline(__always) mutating func data(_ bytes: UnsafeRawBufferPointer) { sink.appendJSONEscaped(bytes) }
    @inline(__always) mutating func data(byte: UInt8) { sink.appendJSONEscaped(byte) }
    @inline(__always) mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int) {
        guard count > 0, let start = message.baseAddress else { return }
        sink.appendJSONLowercased(start + from, count: count)
    }
    @inline(__always) mutating func decimal(_ value: UInt64) { sink.appendDecimal(value) }
    @inline(__always) mutating func address(_ address: IPAddress) { sink.append(address) }
    var written: Int { sink.count }
}

/// Renders into plain escaped text (`\xNN` for anything not printable).
struct PlainRenderTarget: RenderTarget {
    var bytes: [UInt8] = []

    mutating func literal(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
    mutating func data(_ raw: UnsafeRawBufferPointer) { EscapedText.appendPlain(raw, to: &bytes) }
    mutating func data(byte: UInt8) { EscapedText.appendPlain(CollectionOfOne(byte), to: &bytes) }
    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int) {
        for i in from..<(from + count) {
            let c = message[i]
            data(byte: c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
        }
    }
    mutating func decimal(_ value: UInt64) { appendDecimal64(value, to: &bytes) }
    mutating func address(_ address: IPAddress) { address.appendText(to: &bytes) }
    var written: Int { bytes.count }
}

/// Feeds a name's labels, lower-cased and dot-separated, to a render target.
struct RenderNameSink<Target: RenderTarget>: DNSNameSink {
    var target: Target
    var first = true

    @inline(__always)
    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int) {
        if !first { target.literal(".") }
        first = false
        target.label(message, from: from, count: count)
    }
}
