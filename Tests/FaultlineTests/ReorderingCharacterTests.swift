import Foundation
import Testing

/// U+202E/U+202C ("Trojan Source") and U+2028/U+2029 from log lines, thread
/// names, file names and arguments never reach a report or a message raw.
@Suite("Characters that reorder or break lines are shown escaped")
struct ReorderingCharacterTests {
    static let hostile: [Character] = ["\u{202E}", "\u{202C}", "\u{2028}", "\u{2029}", "\u{2066}", "\u{200F}"]

    static func containsHostile(_ text: String) -> Bool { text.contains { hostile.contains($0) } }

    /// A folder with a log whose line and whose file name carry the characters: one per caller
    /// (`name`), since the formats' cases run in parallel and a shared folder is remade under them.
    static func folder(_ name: String = "reorder") throws -> String {
        let root = try BatchSupport.scratchFolder("reorder-" + name)
        let line = "go: example.com/m@v1.0.0: reading https://proxy.golang.org/example.com/m/@v/v1.0.0.mod: 404 Not Found \u{202E}evil\u{202C} \u{2028}next \u{2029}\u{2066}x\u{200F}\n"
        try Data(line.utf8).write(to: URL(fileURLWithPath: root + "/a\u{202E}gol.log"))
        return root
    }

    @Test("Every report format escapes them", arguments: ["text", "json", "markdown", "html", "sarif", "junit", "github"])
    func reports(_ format: String) throws {
        let outcome = try CLIProcess.run(["analyze", "--format", format, try Self.folder(format)])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("404"))
        #expect(!Self.containsHostile(outcome.stdout), "\(format) shows them raw")
    }

    @Test("JSON keeps them as \\u escapes, so the text survives a round trip")
    func jsonRoundTrip() throws {
        let outcome = try CLIProcess.run(["analyze", "--format", "json", try Self.folder("round-trip")])
        #expect(outcome.stdout.contains("Not Found \\u202eevil\\u202c \\u2028next"))
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let inputs = object?["inputs"] as? [[String: Any]]
        #expect((inputs?.first?["path"] as? String)?.hasSuffix("/a\u{202E}gol.log") == true)
    }

    @Test("A thread name in jstack's text and JSON")
    func threadNames() throws {
        let sample = try String(contentsOf: TestSupport.samples.appendingPathComponent("jvm/carrier-starvation/jstack.txt"), encoding: .utf8)
        let dump = sample.replacing("\"Reference Handler\"", with: "\"Ref\u{202E}erence\u{2028}Handler\"")
        let path = try TestSupport.scratchFile("reorder-dump.txt", dump)
        for format in ["text", "json"] {
            let outcome = try CLIProcess.run(["jstack", "--format", format, path])
            #expect(!Self.containsHostile(outcome.stdout), "jstack \(format) shows them raw")
        }
    }

    @Test("An argument echoed in an error message")
    func arguments() throws {
        let zone = try CLIProcess.run(["analyze", "--tz", "Europe\u{202E}/Berlin", "x.log"])
        #expect(zone.status == 2)
        #expect(zone.stderr.contains("unknown time zone 'Europe\\u{202e}/Berlin'"))
        let pipeline = try CLIProcess.run(["analyze", "--pipeline", "no\u{2028}such", "x.log"])
        #expect(pipeline.status != 0)
        #expect(!Self.containsHostile(pipeline.stderr))
        let missing = try CLIProcess.run(["analyze", "/nonexistent/a\u{202E}b.log"])
        #expect(!Self.containsHostile(missing.stdout + missing.stderr))
    }
}
