import FaultlineCore
import FaultlineDecode
import FaultlineEngine
import FaultlineFuzzSupport
import FaultlineRules

// A build log through the decode and normalise stages as `analyze` reads one: the prefilter
// (`LiteralLineScanner`, probes from the built-in rule packs' anchors), envelopes, steps, the
// hand-over to a thread dump, then every signature. The input is fed in two chunks, so a line
// split by a chunk boundary is read too. Run with `-dict=Fuzz/Dictionaries/log.dict`.

/// Made once: building the decoder per input is what the fuzzer would otherwise measure.
nonisolated(unsafe) private let template: BuildLogDecoder = {
    let knowledge = FuzzKnowledge.base
    let layers = knowledge.causes.mapValues(\.layer)
    var decoder = BuildLogDecoder(
        inputIndex: 0, inputPath: "fuzz.log", anchors: knowledge.anchors, maxLineLength: knowledge.settings.maxLineBytes,
        threadDumps: { line, offset in
            ThreadDumpDecoder(inputIndex: 0, inputPath: "fuzz.log", form: .text, layers: layers, anchors: knowledge.anchors,
                              maxLineLength: knowledge.settings.maxLineBytes, firstLine: line, firstOffset: offset)
        })
    // The probes are chosen from a typical log once, not from each input (that is most of a small input's cost).
    FuzzSamples.typicalLog.withUnsafeBytes { decoder.plan(sample: $0) }
    return decoder
}()
nonisolated(unsafe) private let normalise = NormaliseStage(knowledge: FuzzKnowledge.base)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLog(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size).bytes
    var decoder = template
    var events: [Event] = []
    let half = input.count / 2
    decoder.decode(UnsafeRawBufferPointer(rebasing: input[..<half]), into: &events)
    decoder.decode(UnsafeRawBufferPointer(rebasing: input[half...]), into: &events)
    decoder.finish(into: &events)
    var stage = normalise
    stage.process(&events)
    stage.finish(&events)
    _ = decoder.diagnostics
    return 0
}

@_cdecl("LogFuzzer_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzLog)
}
