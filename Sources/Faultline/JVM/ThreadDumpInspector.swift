import FaultlineCore
public import FaultlineDecode
import FaultlineInput

/// Reads thread dumps from files, folders, `.gz` files or `-` — every dump of
/// every input, in the order given, as one series — and summarises each dump
/// and the series for `faultline jstack`: states by count, lock owners and
/// waiters, identical-stack groups, deadlock cycles, findings, and what did
/// not move between dumps.
///
/// Each dump is summarised as soon as it is read and then dropped, so memory
/// stays proportional to the largest dump.
public struct ThreadDumpInspector {
    public var timeZone: DumpTimeZone
    public var chunkSize = 1 << 20
    /// Names listed per lock, group and series list.
    public var nameLimit = 8

    public init(timeZone: DumpTimeZone = .utc) {
        self.timeZone = timeZone
    }

    /// An inspector reading local timestamp lines in the zone named `timeZone`
    /// (`UTC`, `+02:00`, `Europe/Berlin`); nil when the zone is unknown.
    public init?(timeZoneNamed name: String) {
        guard let zone = DumpTimeZone(name) else { return nil }
        self.init(timeZone: zone)
    }

    public func inspect(paths: [String]) -> ThreadDumpInspection {
        let (resolved, resolveDiagnostics) = InputResolver.resolve(paths)
        var inspection = ThreadDumpInspection(timeZone: timeZone.description)
        inspection.diagnostics = resolveDiagnostics
        for failed in resolveDiagnostics where failed.severity == .error { inspection.inputs.append(.init(path: failed.input, format: "unreadable", dumps: 0)) }
        var series = ThreadDumpSeries()
        var buffer = [UInt8](repeating: 0, count: max(FormatDetector.sampleSize, chunkSize))
        for input in resolved {
            read(input.path, series: &series, buffer: &buffer, into: &inspection)
        }
        inspection.series = SeriesSummary(series, dumps: inspection.dumps)
        return inspection
    }

    private func read(_ path: String, series: inout ThreadDumpSeries, buffer: inout [UInt8], into inspection: inout ThreadDumpInspection) {
        let reader: InputReader
        do {
            reader = try InputReader(path: path)
        } catch {
            inspection.diagnostics.append(error)
            inspection.inputs.append(.init(path: path, format: "unreadable", dumps: 0))
            return
        }
        var filled = 0
        var failure: Diagnostic?
        head: while filled < FormatDetector.sampleSize {
            switch Self.read(reader, into: &buffer, at: filled) {
            case .success(0): break head
            case .success(let n): filled += n
            case .failure(let error):
                failure = error
                break head
            }
        }
        let format = buffer.withUnsafeBytes { FormatDetector.detect(UnsafeRawBufferPointer(rebasing: $0[0..<filled])) }
        let form: ThreadDumpReader.Form
        switch format.name {
        case "jstack": form = .text
        case "jstack-json": form = .json
        default:
            inspection.inputs.append(.init(path: path, format: format.name, dumps: 0))
            inspection.diagnostics.append(Diagnostic(code: "jstack.not-a-dump",
                message: "recognised as \(format.name), not a thread dump; skipped", input: path, severity: .warning))
            if let failure { inspection.diagnostics.append(failure) }
            return
        }
        var dumpReader = ThreadDumpReader(form: form, inputPath: path, timeZone: timeZone)
        dumpReader.series = series
        var count = 0
        func drain() {
            for analysed in dumpReader.takeDumps() {
                count += 1
                inspection.dumps.append(DumpSummary(path: path, analysed: analysed, nameLimit: nameLimit))
            }
        }
        buffer.withUnsafeBytes { dumpReader.feed(UnsafeRawBufferPointer(rebasing: $0[0..<filled])) }
        drain()
        body: while failure == nil {
            switch Self.read(reader, into: &buffer, at: 0) {
            case .success(0):
                break body
            case .success(let n):
                buffer.withUnsafeBytes { dumpReader.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                drain()
            case .failure(let error):
                failure = error
            }
        }
        dumpReader.finish()
        drain()
        series = dumpReader.series
        inspection.diagnostics += dumpReader.diagnostics
        if let failure { inspection.diagnostics.append(failure) }
        if let unread = dumpReader.unreadDiagnostic { inspection.diagnostics.append(unread) }
        inspection.inputs.append(.init(path: path, format: format.name, dumps: count))
    }

    private static func read(_ reader: InputReader, into buffer: inout [UInt8], at offset: Int) -> Result<Int, Diagnostic> {
        buffer.withUnsafeMutableBytes { raw in
            Result { () throws(Diagnostic) in try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...])) }
        }
    }
}
