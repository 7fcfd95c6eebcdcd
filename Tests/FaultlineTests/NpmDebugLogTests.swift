import Foundation
import Testing
@testable import FaultlineDecode
import FaultlineCore
import FaultlineRules
import Faultline

/// npm's debug-log support in the build-log decoder, and the npm rule pack's
/// place among the others, on hand-written edge cases (the real runs are in
/// NpmSampleTests).
@Suite("npm debug logs and the npm rule pack")
struct NpmDebugLogTests {
    @Test("the run's start is read from npm's log file names, and only from those")
    func startTimes() throws {
        let reference = try #require(ISO8601DateFormatter.fractional.date(from: "2026-11-26T04:03:09.361Z")).timeIntervalSince1970
        for name in ["/root/.npm/_logs/2026-11-26T04_03_09_361Z-debug-0.log",   // npm 8–10
                     "2026-11-26T04_03_09_361Z-debug-12.log",
                     "logs/2026-11-26T04_03_09_361Z-debug.log",                  // npm 5–7
                     "2026-11-26T04_03_09_361Z-debug-0.log.gz"] {
            let start = try #require(NpmDebugLog.startTime(fromPath: name), "\(name)")
            #expect(abs(start - reference) < 0.0005, "\(name)")
        }
        for name in ["npm-debug.log", "debug-0.log", "2026-11-26T04_03_09_361Z-eresolve-report.txt",
                     "2026-11-26T04:03:09.361Z-debug-0.log", "2026-13-26T04_03_09_361Z-debug-0.log",
                     "2026-11-26T04_03_09_361Z-debug-x.log", "-"] {
            #expect(NpmDebugLog.startTime(fromPath: name) == nil, "\(name)")
        }
    }

    @Test("the `N level ` prefix is peeled; a number without a level loses only the number")
    func prefix() {
        func peel(_ text: String) -> (NpmDebugLogPrefix.Peeled?, String) {
            var line = UnwrappedLine(payload: text, isExcerpt: false, wrappers: [])
            let peeled = NpmDebugLogPrefix.peel(&line)
            return (peeled, line.payload)
        }
        #expect(peel("23 error network request to x failed") == (NpmDebugLogPrefix.Peeled(sequence: 23, level: "error"), "network request to x failed"))
        #expect(peel("19 verbose stack FetchError: y") == (NpmDebugLogPrefix.Peeled(sequence: 19, level: "verbose"), "stack FetchError: y"))
        #expect(peel("166831 verbose stack Error: read ECONNRESET").1 == "stack Error: read ECONNRESET")
        #expect(peel("27 error") == (NpmDebugLogPrefix.Peeled(sequence: 27, level: "error"), ""))
        #expect(peel("12 something else") == (NpmDebugLogPrefix.Peeled(sequence: 12, level: nil), "something else"))
        #expect(peel("npm error code E404") == (nil, "npm error code E404"))
        #expect(peel("404 Not Found").0?.level == nil)
        #expect(peel("12error x") == (nil, "12error x"))
    }

    static let debugLog: [UInt8] = Array("""
    0 verbose cli /usr/bin/node /usr/bin/npm
    16 http fetch GET 200 https://registry.example.com:4873/@fl%2futils 41ms (cache revalidated)
    17 http fetch GET https://registry.example.com:4873/left-pad attempt 1 failed with ECONNREFUSED
    18 verbose stack FetchError: request to https://registry.example.com:4873/left-pad failed, reason: connect ECONNREFUSED 10.0.0.7:4873
    19 error code ECONNREFUSED
    20 error FetchError: request to https://registry.example.com:4873/left-pad failed, reason: connect ECONNREFUSED 10.0.0.7:4873
    21 http fetch GET 304 http://[fd00::5]:8080/x 9ms (from cache)
    22 error A complete log of this run can be found in: /root/.npm/_logs/2026-11-26T04_03_09_361Z-debug-0.log
    """.utf8)

    static func decode(_ bytes: [UInt8], chunk: Int, npm: NpmDebugLog?) -> [Event] {
        var decoder = BuildLogDecoder(inputIndex: 0, inputPath: "d.log", anchors: ["connect ECONNREFUSED "], npmDebugLog: npm)
        return TestSupport.feed(&decoder, bytes, chunk: chunk)
    }

    @Test("every chunking of a debug log gives the same events", arguments: [1, 2, 3, 7, 31, 32, 33, 100, 4096])
    func chunking(_ size: Int) {
        let npm = NpmDebugLog(startTime: 1_795_665_789.361)
        let whole = Self.decode(Self.debugLog, chunk: Self.debugLog.count, npm: npm)
        let split = Self.decode(Self.debugLog, chunk: size, npm: npm)
        #expect(split.map(\.location.line) == whole.map(\.location.line))
        #expect(split.map(\.text) == whole.map(\.text))
        #expect(split.map(\.kind) == whole.map(\.kind))
        #expect(split.map(\.subjects) == whole.map(\.subjects))
        #expect(split.map(\.location.byteOffset) == whole.map(\.location.byteOffset))
    }

    @Test("request lines become http.fetch events; error lines keep their text, dated at the run's start")
    func events() throws {
        let events = Self.decode(Self.debugLog, chunk: 1 << 20, npm: NpmDebugLog(startTime: 1_795_665_789.361))
        #expect(events.map { $0.location.line ?? 0 } == [2, 3, 4, 6, 7])
        let ok = events[0]
        #expect(ok.kind == .httpFetch)
        #expect(ok.text == "http fetch GET 200 https://registry.example.com:4873/@fl%2futils 41ms (cache revalidated)")
        #expect(ok.subjects.values == ["method": "GET", "status": "200", "url": "https://registry.example.com:4873/@fl%2futils",
                                       "host": "registry.example.com", "duration_ms": "41", "cache": "cache revalidated"])
        #expect(ok.severity == .info)
        #expect(ok.time == .absolute(1_795_665_789.361))
        let failed = events[1]
        #expect(failed.kind == .httpFetch)
        #expect(failed.subjects["error"] == "ECONNREFUSED")
        #expect(failed.subjects["attempt"] == "1")
        #expect(failed.subjects["duration_ms"] == nil)
        #expect(failed.severity == .warning)
        #expect(events[2].kind == .logLine)
        #expect(events[2].text == "stack FetchError: request to https://registry.example.com:4873/left-pad failed, reason: connect ECONNREFUSED 10.0.0.7:4873")
        #expect(events[2].severity == .info, "a verbose line")
        #expect(events[3].severity == .error, "an error line")
        #expect(events[4].subjects[Subjects.Key.host] == "fd00::5")
        #expect(events[4].subjects["cache"] == "from cache")
        for event in events { #expect(event.time.clock == .absolute) }
    }

    @Test("without the debug-log dialect, the same lines are plain text: nothing peeled, no request events")
    func terminalDialect() {
        let events = Self.decode(Self.debugLog, chunk: 1 << 20, npm: nil)
        #expect(events.map { $0.location.line ?? 0 } == [4, 6])
        #expect(events.allSatisfy { $0.kind == .logLine && $0.text.first?.isNumber == true && $0.time == .unknown })
    }

    @Test("npm's examples are classified by npm signatures and the other packs' by theirs: pack order takes nothing away")
    func packOrder() {
        let knowledge = TestSupport.knowledge
        #expect(knowledge.packs.first?.name == "npm")
        let matcher = SignatureMatcher(signatures: knowledge.signatures)
        for signature in knowledge.signatures {
            for example in signature.examples {
                let first = matcher.match(example)?.signature
                #expect(first?.pack == signature.pack, "\(signature.id): first match is \(first?.id ?? "nothing") on: \(example)")
                if signature.pack == "npm" { #expect(first?.id == signature.id, "\(signature.id) on: \(example)") }
            }
        }
    }

    @Test("the npm pack's signatures carry npm's subjects from their examples")
    func subjects() throws {
        let matcher = SignatureMatcher(signatures: TestSupport.knowledge.signatures)
        func subjects(_ line: String) -> [String: String] { matcher.match(line)?.subjects.values ?? [:] }
        #expect(subjects("npm ERR! 403 403 Forbidden - GET https://registry.npmjs.org/@types/react-redux/-/react-redux-7.1.20.tgz")
                == ["status": "403", "url": "https://registry.npmjs.org/@types/react-redux/-/react-redux-7.1.20.tgz",
                    "package": "@types/react-redux", "version": "7.1.20"])
        #expect(subjects("npm verb stack Error: 403 Forbidden: @sinonjs/formatio@2.0.0") == ["status": "403", "package": "@sinonjs/formatio", "version": "2.0.0"])
        #expect(subjects("npm ERR! 404 Not Found: natives@https://registry.npmjs.org/natives/-/natives-1.1.4.tgz")
                == ["package": "natives", "url": "https://registry.npmjs.org/natives/-/natives-1.1.4.tgz", "version": "1.1.4"])
        #expect(subjects("npm ERR! 404 Not Found - GET https://registry.npmjs.org/@pm2%2fagent - Not found")
                == ["url": "https://registry.npmjs.org/@pm2%2fagent", "package": "@pm2/agent"])
        #expect(subjects("npm ERR! network getaddrinfo ENOTFOUND registry.npmjs.org registry.npmjs.org:443") == ["host": "registry.npmjs.org"])
        #expect(subjects("npm ERR! request to https://registry.npmjs.org/npm failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org:443")
                == ["url": "https://registry.npmjs.org/npm", "host": "registry.npmjs.org"])
        #expect(subjects("npm ERR! rofs EROFS: read-only file system, symlink '../mime/cli.js' -> '/home/vs3/public_html/todo/node_modules/.bin/mime'")
                == ["syscall": "symlink", "path": "/home/vs3/public_html/todo/node_modules/.bin/mime"])
        #expect(subjects(#"error Could not write file "/homebridge/yarn-error.log": "ENOSPC: no space left on device, write""#)
                == ["path": "/homebridge/yarn-error.log", "syscall": "write"])
        #expect(subjects(#"npm ERR! Unable to authenticate, need: Basic realm="Artifactory Realm""#) == ["scheme": "Basic", "realm": "Artifactory Realm"])
        // A Go 403 stays Go's, and a 500 body naming a DNS error is the registry's 500, not the client's DNS.
        #expect(matcher.match("go mod download: github.com/aws/aws-sdk-go@v1.25.13: reading https://proxy.golang.org/github.com/aws/aws-sdk-go/@v/v1.25.13.zip: 403 Forbidden")?.signature.pack == "go")
        #expect(matcher.match("npm error 500 Internal Server Error - GET http://r.example/x - upstream: getaddrinfo EAI_AGAIN r.example")?.signature.cause == "proxy_server_error")
        // npm's field lines and advice start nothing.
        for line in ["npm error code ENOTFOUND", "npm error errno EAI_AGAIN", "npm error syscall getaddrinfo",
                     "npm error code E404", "npm error 404  '@fl/private-utils@^1.2.0' is not in this registry.",
                     "npm error network This is a problem related to network connectivity.",
                     "npm ERR! code EINTEGRITY", "npm error code ERESOLVE", "npm error path /x/node_modules/y"] {
            #expect(matcher.match(line) == nil, "\(line)")
        }
    }
}

extension ISO8601DateFormatter {
    /// `2026-11-26T04:03:09.361Z`.
    static var fractional: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
