import FaultlineCapture
import FaultlineFuzzSupport
import Glibc

// A whole pcap or pcapng file, read by libpcap from memory (`fmemopen`) as `analyze` reads a
// file, then every frame decoded down to DNS, paired, judged and rendered (`CaptureDrain`).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPcap(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size).bytes
    guard let base = input.baseAddress, let file = fmemopen(UnsafeMutableRawPointer(mutating: base), input.count, "rb") else {
        return 0
    }
    // PcapFile owns `file` from here on: it closes it when it cannot open it, and in deinit.
    guard let capture = try? PcapFile(file: file, name: "fuzz.pcap", head: input) else { return 0 }
    CaptureDrain.run(capture)
    return 0
}

@_cdecl("PcapFuzzer_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzPcap)
}
