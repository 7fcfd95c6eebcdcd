import FaultlineCore
import FaultlineDecode
import FaultlineFuzzSupport

// A JVM thread dump through `ThreadDumpDecoder` — parsing, the lock graph, deadlocks, starvation,
// series — as text (jstack, jcmd, kill -3, javacores) or, when it starts with `{`, as
// `Thread.dump_to_file` JSON. Fed in two chunks, as a stream would be.

nonisolated(unsafe) private let decoders: (text: ThreadDumpDecoder, json: ThreadDumpDecoder) = {
    let knowledge = FuzzKnowledge.base
    let layers = knowledge.causes.mapValues(\.layer)
    func decoder(_ form: ThreadDumpReader.Form) -> ThreadDumpDecoder {
        var decoder = ThreadDumpDecoder(inputIndex: 0, inputPath: "fuzz.dump", form: form, layers: layers,
                                        anchors: knowledge.anchors, maxLineLength: knowledge.settings.maxLineBytes)
        FuzzSamples.typicalLog.withUnsafeBytes { decoder.plan(sample: $0) }
        return decoder
    }
    return (decoder(.text), decoder(.json))
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDump(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size).bytes
    let isJSON = input.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{")
    var decoder = isJSON ? decoders.json : decoders.text
    var events: [Event] = []
    let half = input.count / 2
    decoder.decode(UnsafeRawBufferPointer(rebasing: input[..<half]), into: &events)
    decoder.decode(UnsafeRawBufferPointer(rebasing: input[half...]), into: &events)
    decoder.finish(into: &events)
    _ = decoder.diagnostics
    return 0
}

@_cdecl("DumpFuzzer_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzDump)
}
