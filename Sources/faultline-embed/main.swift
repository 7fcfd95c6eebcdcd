import Foundation

// Build-time generator run by the EmbedPipelines plugin:
//   faultline-embed pipelines OUTPUT.swift ROOT RELATIVE…   every YAML file as a Swift string
//   faultline-embed commit OUTPUT.swift PACKAGE [COMMIT]     the commit the build came from

/// `text` as a Swift string literal: escapes for the quote, the backslash and every
/// character outside printable ASCII, so any file round-trips exactly.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case " "..."~": out.unicodeScalars.append(scalar)
        default: out += "\\u{" + String(scalar.value, radix: 16) + "}"
        }
    }
    return out + "\""
}

func write(_ source: String, to path: String) {
    // Rewrite only when the text changed, so an unchanged file does not recompile its module.
    if let old = try? String(contentsOfFile: path, encoding: .utf8), old == source { return }
    do { try source.write(toFile: path, atomically: true, encoding: .utf8) } catch {
        FileHandle.standardError.write(Data("faultline-embed: cannot write \(path): \(error)\n".utf8))
        exit(1)
    }
}

func embedPipelines(output: String, root: String, files: [String]) {
    var source = """
    // Generated at build time from Pipelines/ by the EmbedPipelines plugin. Do not edit.

    /// The default pipelines, cause catalogue and rule packs, as they were in `Pipelines/`
    /// when this binary was built: paths relative to that folder, and each file's text.
    public enum EmbeddedPipelines {
        public static let files: [String: String] = [

    """
    for file in files {
        guard let data = FileManager.default.contents(atPath: root + "/" + file),
              let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("faultline-embed: cannot read \(root)/\(file) as UTF-8\n".utf8))
            exit(1)
        }
        source += "        \(literal(file)): \(literal(text)),\n"
    }
    if files.isEmpty { source += "        :\n" }
    source += "    ]\n}\n"
    write(source, to: output)
}

/// The commit of the checkout at `package`, through git; `unknown` outside a checkout.
func commit(of package: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", package, "rev-parse", "HEAD"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return "unknown" }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
}

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: faultline-embed pipelines|commit OUTPUT ROOT …\n".utf8))
    exit(2)
}
switch arguments[1] {
case "pipelines":
    embedPipelines(output: arguments[2], root: arguments[3], files: Array(arguments.dropFirst(4)))
case "commit":
    let hash = arguments.count > 4 ? arguments[4] : commit(of: arguments[3])
    write("""
    // Generated at build time by the EmbedPipelines plugin. Do not edit.

    /// The commit of the source this binary was built from (`unknown` when built outside a git checkout).
    public enum BuildCommit {
        public static let hash = \(literal(hash))
    }

    """, to: arguments[2])
default:
    FileHandle.standardError.write(Data("faultline-embed: unknown mode \(arguments[1])\n".utf8))
    exit(2)
}
