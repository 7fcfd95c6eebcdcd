/// The bytes libFuzzer hands a harness, with the small helpers harnesses share to split them into
/// a selector and a payload.
public struct FuzzInput {
    public let bytes: UnsafeRawBufferPointer

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size)
    }

    /// The first byte (chooses a variant: link type, file to replace…), 0 for an empty input.
    public var selector: UInt8 { bytes.first ?? 0 }

    /// Everything after the first byte.
    public var payload: UnsafeRawBufferPointer {
        bytes.count > 1 ? UnsafeRawBufferPointer(rebasing: bytes[1...]) : UnsafeRawBufferPointer(start: nil, count: 0)
    }
}
