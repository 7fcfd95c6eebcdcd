import Testing
@testable import FaultlineEngine
@testable import FaultlineDecode
import FaultlineCore

@Suite("Unwrapping CI and Docker envelopes")
struct EnvelopeTests {
    func unwrap(_ line: String, parser: inout EnvelopeParser) -> UnwrappedLine {
        Array(line.utf8).withUnsafeBytes { parser.unwrap($0) }
    }

    @Test("GitHub Actions timestamp and workflow commands")
    func github() throws {
        var parser = EnvelopeParser()
        let line = unwrap("2026-11-26T03:45:37.6049468Z go: example.com/fl/greeting@v1.0.0: reading x: 500 Internal Server Error", parser: &parser)
        #expect(line.payload == "go: example.com/fl/greeting@v1.0.0: reading x: 500 Internal Server Error")
        let seconds = try #require(line.ciTime)
        #expect(Timestamp.formatRFC3339(seconds) == "2026-11-26T03:45:37.604Z")
        let group = unwrap("2026-11-26T03:45:37.5941225Z ##[group]Run go mod download", parser: &parser)
        #expect(group.ciMarker == .groupStart("Run go mod download"))
        let error = unwrap("2026-11-26T03:45:37.6058418Z ##[error]Process completed with exit code 1.", parser: &parser)
        #expect(error.ciMarker == .error)
        #expect(error.payload == "Process completed with exit code 1.")
    }

    @Test("BuildKit inside GitHub Actions: both layers peeled")
    func nested() {
        var parser = EnvelopeParser()
        let line = unwrap("2024-01-01T12:00:00.1234567Z #13 4.377 go: updating go.mod: open /src/go.mod: read-only file system", parser: &parser)
        #expect(line.vertex == 13)
        #expect(line.elapsed == 4.377)
        #expect(line.ciTime != nil)
        #expect(line.payload == "go: updating go.mod: open /src/go.mod: read-only file system")
        #expect(line.wrappers == ["timestamp", "buildkit"])
    }

    @Test("GitLab section markers, carriage returns and colour")
    func gitlab() {
        var parser = EnvelopeParser()
        let start = unwrap("section_start:1732590000:step_script\r\u{1B}[0K\u{1B}[32;1mExecuting \"step_script\" stage\u{1B}[0;m", parser: &parser)
        #expect(start.ciMarker == .groupStart("step_script"))
        #expect(start.ciTime == 1_732_590_000)
        #expect(start.payload == "Executing \"step_script\" stage")
        let crlf = unwrap("go: go.mod file not found\r", parser: &parser)
        #expect(crlf.payload == "go: go.mod file not found")
    }

    @Test("the BuildKit error excerpt is marked as a repeat")
    func excerpt() {
        var parser = EnvelopeParser()
        let header = unwrap(" > [builder 4/7] RUN go mod download:", parser: &parser)
        let repeated = unwrap("5.120 go: example.com/fl/greeting@v1.0.0: i/o timeout", parser: &parser)
        let after = unwrap("go: something else", parser: &parser)
        let later = unwrap("5.120 go: not in an excerpt any more", parser: &parser)
        #expect(header.isExcerpt)
        #expect(repeated.isExcerpt)
        #expect(repeated.payload == "go: example.com/fl/greeting@v1.0.0: i/o timeout")
        #expect(!after.isExcerpt)
        #expect(!later.isExcerpt)
    }

    @Test("RFC 3339 parsing with offsets and fractions")
    func timestamps() throws {
        func parse(_ text: String) -> Double? { Array(text.utf8).withUnsafeBytes { Timestamp.parseRFC3339($0)?.seconds } }
        #expect(parse("1970-01-01T00:00:00Z") == 0)
        #expect(parse("2000-03-01T00:00:00Z") == 951_868_800)
        #expect(parse("2026-11-26T04:00:00+01:00") == parse("2026-11-26T03:00:00Z"))
        #expect(parse("2026-13-26T04:00:00Z") == nil)
        #expect(parse("not a time at all, really") == nil)
        #expect(Timestamp.formatRFC3339(951_868_800.25) == "2000-03-01T00:00:00.250Z")
    }
}

@Suite("Templates for titles and remedies")
struct TemplateTests {
    @Test("placeholders, missing subjects and nested optional parts")
    func expand() {
        let subjects = Subjects(["module": "example.com/m", "nameserver": "10.0.0.1:53"])
        #expect(Template.expand("[[{module}[[@{version}]] ]]not found", subjects: subjects) == "example.com/m not found")
        #expect(Template.expand("nslookup {host} {nameserver_ip}", subjects: subjects) == "nslookup <host> 10.0.0.1")
        #expect(Template.expand("a[[ b {host}]] c", subjects: subjects) == "a c")
        #expect(Template.expand("[[x {module} [[y {host}]]]]", subjects: subjects) == "x example.com/m ")
    }
}
