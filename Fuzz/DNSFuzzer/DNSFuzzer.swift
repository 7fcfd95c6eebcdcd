import FaultlineCapture
import FaultlineFuzzSupport

// One DNS message — header, names with compression, every record type's data, EDNS — carried
// in UDP/IPv4 over Ethernet both ways (as the query to port 53 and as the answer from it), and
// over TCP with its length prefix, then paired, judged and rendered (`CaptureDrain`), and read
// again as `analyze` reads a file, ahead on threads, which must give the same events.
// The input is the message itself, so raw DNS messages seed it.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let message = Array(FuzzInput(data, size).bytes.prefix(65_000))
    let client: [UInt8] = [10, 0, 0, 2]
    let server: [UInt8] = [10, 0, 0, 53]
    let frames = [
        FuzzFrames.udp(from: (client, 40_000), to: (server, 53), payload: message),
        FuzzFrames.udp(from: (server, 53), to: (client, 40_000), payload: message),
        FuzzFrames.tcp(from: (client, 40_001), to: (server, 53), payload: [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message),
    ]
    CaptureDrain.run(MemoryPacketSource(linkType: .ethernet, frames: frames))
    CaptureDrain.compareReadAhead { MemoryPacketSource(linkType: .ethernet, frames: frames) }
    return 0
}

@_cdecl("DNSFuzzer_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzDNS)
}
