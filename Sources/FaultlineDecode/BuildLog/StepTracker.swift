import FaultlineCore

/// Follows the build steps of a log — BuildKit vertices, legacy `Step i/n`
/// instructions, CI groups — and recognises the lines that start or fail one.
struct StepTracker {
    /// What a structural line means.
    struct Structure {
        var kind: EventKind?
        var step: StepRef?
        var exitCode: Int?
        var path: String?
        var wrapper: String?
    }

    private var vertexNames: [Int: String] = [:]
    private var legacyStep: StepRef?
    private var ciStep: StepRef?
    private var ciGroups = 0

    /// The step a plain output line belongs to.
    func current(for line: UnwrappedLine) -> StepRef? {
        if let vertex = line.vertex { return StepRef(key: "bk:\(vertex)", name: vertexNames[vertex]) }
        return legacyStep ?? ciStep
    }

    /// Recognises a structural line; nil for ordinary output.
    mutating func observe(_ line: UnwrappedLine, lineNumber: Int) -> Structure? {
        let text = line.payload
        switch line.ciMarker {
        case .groupStart(let name)?:
            ciGroups += 1
            let step = StepRef(key: "ci:\(ciGroups)", name: name)
            ciStep = step
            legacyStep = nil
            return Structure(kind: .stepStart, step: step)
        case .groupEnd?:
            return Structure(kind: nil)
        case .error?:
            if let code = Self.exitCode(in: text, after: "Process completed with exit code ") {
                return Structure(kind: .stepFailed, step: ciStep, exitCode: code)
            }
            if text.hasPrefix("Job failed") {
                return Structure(kind: .buildFailed, step: ciStep, exitCode: Self.exitCode(in: text, after: "exit code "))
            }
        default:
            break
        }
        if let vertex = line.vertex, line.elapsed == nil {
            if text.hasPrefix("[") {
                let name = String(text.prefix(300))
                if vertexNames.count < 100_000 { vertexNames[vertex] = name }
                return Structure(kind: .stepStart, step: StepRef(key: "bk:\(vertex)", name: name), wrapper: "buildkit")
            }
            if text.hasPrefix("ERROR:") || text.hasPrefix("ERROR ") {
                let code = Self.exitCode(in: text, after: "exit code: ")
                return Structure(kind: .stepFailed, step: StepRef(key: "bk:\(vertex)", name: vertexNames[vertex]),
                                 exitCode: code, wrapper: "buildkit")
            }
            if text.hasPrefix("DONE ") || text == "CACHED" || text.hasPrefix("CANCELED") || text == "..." {
                return Structure(kind: nil)
            }
        }
        if line.vertex == nil {
            if text.hasPrefix("Step "), let colon = text.firstRange(of: " : ") {
                let numbers = text[text.index(text.startIndex, offsetBy: 5)..<colon.lowerBound]
                if let slash = numbers.firstIndex(of: "/"), let index = Int(numbers[..<slash]) {
                    let step = StepRef(key: "docker:\(index)", name: String(text[colon.upperBound...].prefix(300)))
                    legacyStep = step
                    return Structure(kind: .stepStart, step: step, wrapper: "docker-legacy")
                }
            }
            if text.hasPrefix("The command '"), text.contains("returned a non-zero code") {
                return Structure(kind: .stepFailed, step: legacyStep,
                                 exitCode: Self.exitCode(in: text, after: "non-zero code: "), wrapper: "docker-legacy")
            }
            if text.hasPrefix("ERROR: failed to solve") || text.hasPrefix("failed to solve")
                || text.hasPrefix("error: failed to solve") || text.contains(": failed to solve:") {
                return Structure(kind: .buildFailed, exitCode: Self.exitCode(in: text, after: "exit code: "))
            }
            if text.hasPrefix("ERROR: Job failed") {
                return Structure(kind: .buildFailed, step: ciStep, exitCode: Self.exitCode(in: text, after: "exit code "))
            }
            if text.hasPrefix("Dockerfile:"), let number = Int(text.dropFirst("Dockerfile:".count).prefix(while: { $0.isNumber })) {
                return Structure(kind: .dockerfileLocation, path: "Dockerfile:\(number)")
            }
            if text.hasPrefix(" ---> ") || text.hasPrefix("------") { return Structure(kind: nil) }
        }
        return nil
    }

    static func exitCode(in text: String, after marker: String) -> Int? {
        guard let range = text.firstRange(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix(while: { $0.isNumber }))
    }
}
