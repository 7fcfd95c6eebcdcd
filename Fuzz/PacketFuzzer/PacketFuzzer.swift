import FaultlineCapture
import FaultlineFuzzSupport

// Whole frames of one link type through the packet decoder: link layers and their wrappers
// (radiotap, PPI, PKTAP, NFLOG…), tunnels, IPv4/IPv6 with fragments and extension headers,
// UDP, TCP reassembly, ICMP, then DNS pairing, judgement and rendering (`CaptureDrain`); then
// the same frames read as `analyze` reads a file, ahead on threads, which must give the same events.
//
// Input: one byte choosing the link type, then frames, each a big-endian 16-bit length and
// that many bytes (a last frame shorter than its length keeps what there is).

private let linkTypes: [LinkType] = [
    .null, .ethernet, .rawBSD, .rawOpenBSD, .raw, .ieee80211, .loop, .linuxSLL, .radiotap, .ppi, .ipv4, .ipv6,
    .nflog, .pktap, .linuxSLL2, LinkType(rawValue: 147),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPacket(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let linkType = linkTypes[Int(input.selector) % linkTypes.count]
    var frames: [[UInt8]] = []
    let bytes = input.payload
    var at = 0
    while at + 2 <= bytes.count, frames.count < 4096 {
        let length = Int(bytes[at]) << 8 | Int(bytes[at + 1])
        let end = min(bytes.count, at + 2 + length)
        frames.append(Array(bytes[(at + 2)..<end]))
        at = end
    }
    CaptureDrain.run(MemoryPacketSource(linkType: linkType, frames: frames))
    CaptureDrain.compareReadAhead { MemoryPacketSource(linkType: linkType, frames: frames) }
    return 0
}

@_cdecl("PacketFuzzer_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzPacket)
}
