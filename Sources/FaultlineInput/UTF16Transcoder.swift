/// Turns UTF-16 text into UTF-8 as it streams: a thread dump redirected to a
/// file by a Windows shell (`jstack 1234 > dump.txt` in PowerShell) is
/// UTF-16, little-endian, often with a byte-order mark. Read as bytes it is
/// half NULs and would be taken for binary.
///
/// The byte order comes from the mark (`FF FE`, `FE FF`) or, without one,
/// from where the NULs of ASCII text sit. A code unit or surrogate pair cut
/// by a chunk boundary is carried to the next chunk; an unpaired surrogate
/// becomes U+FFFD.
struct UTF16Transcoder {
    let bigEndian: Bool
    /// A byte of a code unit whose other byte has not arrived yet.
    private var oddByte: UInt8?
    /// A high surrogate waiting for its low half.
    private var highSurrogate: UInt16?
    /// Whether the byte-order mark at the start is still to be skipped.
    private var skipMark: Bool

    /// The transcoder for text starting with `head`, or nil when `head` is not UTF-16.
    init?(head: UnsafeRawBufferPointer) {
        if head.count >= 2, head[0] == 0xFF, head[1] == 0xFE {
            bigEndian = false
            skipMark = true
            return
        }
        if head.count >= 2, head[0] == 0xFE, head[1] == 0xFF {
            bigEndian = true
            skipMark = true
            return
        }
        // No mark: ASCII text in UTF-16 has a NUL in every other byte and none in the rest.
        let sample = min(head.count & ~1, 256)
        guard sample >= 16 else { return nil }
        var zeroEven = 0
        var zeroOdd = 0
        for index in 0..<sample where head[index] == 0 {
            if index & 1 == 0 { zeroEven += 1 } else { zeroOdd += 1 }
        }
        let units = sample / 2
        if zeroOdd * 10 >= units * 9, zeroEven == 0 {
            bigEndian = false
        } else if zeroEven * 10 >= units * 9, zeroOdd == 0 {
            bigEndian = true
        } else {
            return nil
        }
        skipMark = false
    }

    /// The most input bytes `transcode` may take to fill `outputCapacity` bytes (3 UTF-8 bytes per unit at most).
    static func inputLimit(outputCapacity: Int) -> Int { max(2, ((outputCapacity - 8) / 3) & ~1) }

    /// Transcodes `input` into `output`; returns how many bytes were written. `input` must be at most
    /// `inputLimit(outputCapacity: output.count)` bytes long, and `output` at least 16 bytes.
    mutating func transcode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        var index = 0
        func put(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }
        func emit(scalar: UInt32) {
            switch scalar {
            case 0..<0x80:
                put(UInt8(scalar))
            case 0x80..<0x800:
                put(UInt8(0xC0 | (scalar >> 6)))
                put(UInt8(0x80 | (scalar & 0x3F)))
            case 0x800..<0x10000:
                put(UInt8(0xE0 | (scalar >> 12)))
                put(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                put(UInt8(0x80 | (scalar & 0x3F)))
            default:
                put(UInt8(0xF0 | (scalar >> 18)))
                put(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                put(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                put(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        while index < input.count {
            let first: UInt8
            if let odd = oddByte {
                first = odd
                oddByte = nil
            } else {
                first = input[index]
                index += 1
                guard index < input.count else {
                    oddByte = first
                    break
                }
            }
            let second = input[index]
            index += 1
            let unit = bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first)
            if skipMark {
                skipMark = false
                if unit == 0xFEFF { continue }
            }
            if let high = highSurrogate {
                highSurrogate = nil
                if (0xDC00...0xDFFF).contains(unit) {
                    emit(scalar: 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00))
                    continue
                }
                emit(scalar: 0xFFFD)
            }
            switch unit {
            case 0xD800...0xDBFF: highSurrogate = unit
            case 0xDC00...0xDFFF: emit(scalar: 0xFFFD)
            default: emit(scalar: UInt32(unit))
            }
        }
        return written
    }

    /// End of input: what is left of a cut code unit or pair becomes U+FFFD.
    mutating func finish(into output: UnsafeMutableRawBufferPointer) -> Int {
        guard oddByte != nil || highSurrogate != nil, output.count >= 3 else { return 0 }
        oddByte = nil
        highSurrogate = nil
        output[0] = 0xEF
        output[1] = 0xBF
        output[2] = 0xBD
        return 3
    }
}
