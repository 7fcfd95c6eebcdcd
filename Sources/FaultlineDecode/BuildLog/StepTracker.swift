import FaultlineCore

/// Follows the build steps of a log — BuildKit vertices, legacy `Step i/n` and
/// Podman's `STEP i/n:` instructions, CI groups, runners' echoed commands — and
/// recognises the lines that start or fail one.
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
    /// The last top-level command a runner echoed (`$ npm test` in Travis and GitLab logs).
    private var commandStep: StepRef?
    /// Each echoed command's step, to name the one a `The command "…" exited with 1.` line reports.
    private var commandSteps: [String: StepRef] = [:]
    private var commands = 0

    /// The step a plain output line belongs to.
    func current(for line: UnwrappedLine) -> StepRef? {
        if let vertex = line.vertex { return StepRef(key: "bk:\(vertex)", name: vertexNames[vertex]) }
        return legacyStep ?? ciStep ?? commandStep
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
            // Azure Pipelines: `##[error]Bash exited with code '1'.`, `##[error]Script failed with exit code: 1`.
            if let code = Self.exitCode(in: String(text.filter { $0 != "'" }), after: "exited with code ")
                ?? Self.exitCode(in: text, after: "failed with exit code: ") {
                return Structure(kind: .stepFailed, step: ciStep, exitCode: code)
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
            if let podman = podmanStep(text) { return podman }
            if text.hasPrefix("The command '"), text.contains("returned a non-zero code") {
                return Structure(kind: .stepFailed, step: legacyStep,
                                 exitCode: Self.exitCode(in: text, after: "non-zero code: "), wrapper: "docker-legacy")
            }
            if text.hasPrefix("ERROR: failed to solve") || text.hasPrefix("failed to solve")
                || text.hasPrefix("error: failed to solve") || text.contains(": failed to solve:") {
                return Structure(kind: .buildFailed, exitCode: Self.exitCode(in: text, after: "exit code: "))
            }
            // GitLab runner, and its older wording (`ERROR: Build failed: exit status 1`).
            if text.hasPrefix("ERROR: Job failed") || text.hasPrefix("ERROR: Build failed") {
                return Structure(kind: .buildFailed, step: ciStep,
                                 exitCode: Self.exitCode(in: text, after: "exit code ") ?? Self.exitCode(in: text, after: "exit status "))
            }
            if let runner = runnerVerdict(text) { return runner }
            if text.hasPrefix("Dockerfile:"), let number = Int(text.dropFirst("Dockerfile:".count).prefix(while: { $0.isNumber })) {
                return Structure(kind: .dockerfileLocation, path: "Dockerfile:\(number)")
            }
            if text.hasPrefix(" ---> ") || text.hasPrefix("------") { return Structure(kind: nil) }
        }
        return nil
    }

    /// Podman and Buildah (`podman build`, OpenShift's builds): `STEP 8/9: RUN …` (older
    /// Buildah: `STEP 8: RUN …`; a multi-stage build: `[1/2] STEP 4/6: RUN …`) starts a step; `error building at STEP "RUN …": … exit status 1`
    /// (Podman 4: `Error: building at STEP "…": while running runtime: exit status 1`) fails it.
    private mutating func podmanStep(_ line: String) -> Structure? {
        // A multi-stage build puts the stage first: `[1/2] STEP 4/6: RUN …`.
        var text = Substring(line)
        if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(" STEP "),
           text[text.index(after: text.startIndex)..<close].allSatisfy({ $0.isNumber || $0 == "/" }) {
            text = text[text.index(close, offsetBy: 2)...]
        }
        if text.hasPrefix("STEP "), let colon = text.firstIndex(of: ":") {
            let numbers = text[text.index(text.startIndex, offsetBy: 5)..<colon]
            guard let index = Int(numbers.prefix { $0 != "/" }), numbers.allSatisfy({ $0.isNumber || $0 == "/" }) else { return nil }
            let name = text[text.index(after: colon)...].drop { $0 == " " }
            let step = StepRef(key: "podman:\(index)", name: String(name.prefix(300)))
            legacyStep = step
            return Structure(kind: .stepStart, step: step, wrapper: "podman")
        }
        if let at = text.range(of: "building at STEP \"") {
            let named = text[at.upperBound...].prefix { $0 != "\"" }
            let step = legacyStep ?? StepRef(key: "podman:?", name: String(named.prefix(300)))
            return Structure(kind: .stepFailed, step: step, exitCode: Self.exitCode(in: line, after: "exit status "), wrapper: "podman")
        }
        return nil
    }

    /// The lines CI runners print about commands and the whole build: Travis's `$ cmd` echo
    /// (GitLab's too), `The command "cmd" exited with 1.` and `Done. Your build exited with 0.`;
    /// Jenkins's `ERROR: script returned exit code 1` and `Finished: FAILURE`; GitLab's
    /// `Job succeeded`; CircleCI's `Exited with code exit status 1`; Buildkite's
    /// `🚨 Error: The command exited with status 1`.
    private mutating func runnerVerdict(_ text: String) -> Structure? {
        // golangci's build runner: `[GROUP] prepare repo`, `  [STEP] go mod download`, and
        // `Error: failed to run command "go mod download": exit status 1`.
        let indented = text.drop { $0 == " " }
        if indented.hasPrefix("[GROUP] ") { return Structure(kind: nil) }
        let runnerStep = indented.hasPrefix("[STEP] ")
        if text.hasPrefix("$ ") || runnerStep {
            let echoed = runnerStep ? indented.dropFirst(7) : text.dropFirst(2)
            let command = String(echoed.prefix(300).drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
            guard !command.isEmpty, legacyStep == nil, ciStep == nil else { return nil }
            commands += 1
            let step = StepRef(key: "cmd:\(commands)", name: command)
            commandStep = step
            if commandSteps.count < 10_000 { commandSteps[command] = step }
            return Structure(kind: .stepStart, step: step)
        }
        if text.hasPrefix("The command \""), let close = text.range(of: "\" exited with ", options: .backwards) {
            let command = String(text[text.index(text.startIndex, offsetBy: 13)..<close.lowerBound].prefix(300))
            guard let code = Int(text[close.upperBound...].prefix(while: { $0.isNumber })) else { return nil }
            let step = commandSteps[command] ?? StepRef(key: "cmd:\(command)", name: command)
            return Structure(kind: code == 0 ? .stepSucceeded : .stepFailed, step: step, exitCode: code)
        }
        if let open = text.range(of: "failed to run command \""), let close = text[open.upperBound...].range(of: "\": exit status ") {
            let command = String(text[open.upperBound..<close.lowerBound].prefix(300))
            guard let code = Self.exitCode(in: text, after: "\": exit status "), code != 0 else { return nil }
            return Structure(kind: .stepFailed, step: commandSteps[command] ?? StepRef(key: "cmd:\(command)", name: command), exitCode: code)
        }
        if text.hasPrefix("Done. Your build exited with "), let code = Self.exitCode(in: text, after: "exited with ") {
            return Structure(kind: code == 0 ? .buildSucceeded : .buildFailed, exitCode: code)
        }
        if text.hasPrefix("Finished: ") {
            let result = text.dropFirst("Finished: ".count).prefix(while: { $0.isLetter })
            switch result {
            case "SUCCESS": return Structure(kind: .buildSucceeded)
            case "FAILURE", "UNSTABLE", "ABORTED": return Structure(kind: .buildFailed)
            default: return nil
            }
        }
        if text == "Job succeeded" { return Structure(kind: .buildSucceeded) }
        if text.hasPrefix("ERROR: script returned exit code ") {
            return Structure(kind: .stepFailed, step: ciStep ?? commandStep, exitCode: Self.exitCode(in: text, after: "exit code "))
        }
        if text.hasPrefix("Exited with code "),
           let code = Self.exitCode(in: text, after: "Exited with code exit status ") ?? Self.exitCode(in: text, after: "Exited with code ") {
            return code == 0 ? Structure(kind: nil) : Structure(kind: .stepFailed, step: ciStep ?? commandStep, exitCode: code)
        }
        if text.contains("Error: The command exited with status "), let code = Self.exitCode(in: text, after: "exited with status ") {
            return code == 0 ? nil : Structure(kind: .stepFailed, step: ciStep ?? commandStep, exitCode: code)
        }
        return nil
    }

    static func exitCode(in text: String, after marker: String) -> Int? {
        guard let range = text.firstRange(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix(while: { $0.isNumber }))
    }
}
