/// Reads (possibly compressed) domain names out of a DNS message, never
/// trapping: a compression pointer must point strictly backwards (which rules
/// out loops, as Zeek requires), chains are cut at `maxCompressionDepth`, and a
/// name is cut at 255 bytes of text.
public struct DNSNameReader: Sendable {
    /// Why a name could not be read, with Zeek's weird names.
    enum Failure: Error {
        case labelPastEnd
        case forwardPointer
        case depthExceeded(Int)
        case badLabelType
        case tooLong

        var weird: String {
            switch self {
            case .labelPastEnd: "DNS_label_len_gt_pkt"
            case .forwardPointer: "DNS_label_forward_compress_offset"
            case .depthExceeded: "DNS_max_compression_chain_depth_exceeded"
            case .badLabelType: "DNS_label_bad_type"
            case .tooLong: "DNS_NAME_too_long"
            }
        }

        var detail: String? {
            if case .depthExceeded(let depth) = self { return String(depth) }
            return nil
        }
    }

    /// Zeek's default `dns_max_compression_chain_depth`.
    public var maxCompressionDepth = 20

    public init(maxCompressionDepth: Int = 20) { self.maxCompressionDepth = maxCompressionDepth }
    static let maxTextLength = 255

    /// Walks the name at `offset` and returns the offset just past it (past the
    /// first pointer when compressed), handing each label to `sink`. A name longer
    /// than 255 bytes fails with `tooLong`, unless `cutLong`: then the labels past
    /// the limit are walked (so the name's end is known) but not handed over.
    @inline(__always)
    func walk<Sink: DNSNameSink>(_ message: UnsafeRawBufferPointer, at offset: Int, into sink: inout Sink,
                                 cutLong: Bool = false) -> Result<Int, Failure> {
        var position = offset
        var end = -1
        var depth = 0
        var written = 0
        // Offsets stay below the message's length (at most 65,535) and the counts below 2¹⁶: the
        // arithmetic cannot overflow, so it is not checked.
        while true {
            guard position < message.count else { return .failure(.labelPastEnd) }
            let length = Int(message[position])
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    return .success(end >= 0 ? end : position &+ 1)
                }
                guard position &+ 1 &+ length <= message.count else { return .failure(.labelPastEnd) }
                written &+= length &+ 1
                if written <= Self.maxTextLength + 1 {
                    sink.label(message, from: position &+ 1, count: length)
                } else if !cutLong {
                    return .failure(.tooLong)
                }
                position &+= 1 &+ length
            case 0xC0:
                guard position &+ 1 < message.count else { return .failure(.labelPastEnd) }
                let target = Int(message.u16(position) & 0x3FFF)
                guard target < position else { return .failure(.forwardPointer) }
                depth &+= 1
                guard depth <= maxCompressionDepth else { return .failure(.depthExceeded(depth)) }
                if end < 0 { end = position &+ 2 }
                position = target
            default:
                return .failure(.badLabelType)
            }
        }
    }

    /// Checks the name at `offset` and returns where it ends.
    @inline(__always)
    func skip(_ message: UnsafeRawBufferPointer, at offset: Int) -> Result<Int, Failure> {
        var sink = NoNameSink()
        return walk(message, at: offset, into: &sink)
    }

    /// The name at `offset` as dotted text (no trailing dot; the root is empty), or nil.
    public func text(_ message: UnsafeRawBufferPointer, at offset: Int, lowercase: Bool = true) -> [UInt8]? {
        var sink = DNSNameText(lowercase: lowercase)
        switch walk(message, at: offset, into: &sink) {
        case .success: return sink.bytes
        case .failure: return nil
        }
    }

    /// Appends the name at `offset` as text to `out`; false when it cannot be read.
    @inline(__always)
    func append(_ message: UnsafeRawBufferPointer, at offset: Int, to out: inout [UInt8]) -> Bool {
        var sink = AppendingNameSink(out: out)
        out = []
        let ok: Bool
        switch walk(message, at: offset, into: &sink) {
        case .success: ok = true
        case .failure: ok = false
        }
        swap(&out, &sink.out)
        return ok
    }
}

/// Receives the labels of a name as `DNSNameReader` walks it.
protocol DNSNameSink {
    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int)
}

/// Validation only.
struct NoNameSink: DNSNameSink {
    @inline(__always) mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int) {}
}

/// Collects a name as lower-cased (or original) dotted text and notes whether it had capitals.
struct DNSNameText: DNSNameSink {
    var bytes: [UInt8] = []
    var lowercase: Bool
    var sawUppercase = false

    init(lowercase: Bool) { self.lowercase = lowercase }

    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int) {
        if !bytes.isEmpty { bytes.append(0x2E) }
        for i in from..<(from + count) {
            var c = message[i]
            if c >= 0x41, c <= 0x5A {
                sawUppercase = true
                if lowercase { c |= 0x20 }
            }
            bytes.append(c)
        }
    }
}

/// Appends a lower-cased name to an existing buffer (output records).
struct AppendingNameSink: DNSNameSink {
    var out: [UInt8]
    var first = true

    mutating func label(_ message: UnsafeRawBufferPointer, from: Int, count: Int) {
        if !first { out.append(0x2E) }
        first = false
        for i in from..<(from + count) {
            let c = message[i]
            out.append(c >= 0x41 && c <= 0x5A ? c | 0x20 : c)
        }
    }
}
