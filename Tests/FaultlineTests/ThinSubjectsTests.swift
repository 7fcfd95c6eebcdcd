import Foundation
import Testing
import Faultline
import FaultlineCore
@testable import FaultlineRules

/// Real logs split one failure over several lines: the line a signature knows names less
/// than the lines around it. The hypothesis names the module, package, path or registry
/// those lines give (`SignatureContext`), and an old toolchain is not a malformed path.
@Suite("Subjects from the lines around a failure")
struct ThinSubjectsTests {
    static func wild(_ prefix: String) throws -> Hypothesis {
        let folder = TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Corpus/wild")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix(prefix + "-") })
        return try #require(TestSupport.analyze([folder.appendingPathComponent(name).path]).hypotheses.first)
    }

    static func top(_ lines: [String], name: String = "build.log") -> Hypothesis? {
        let analyzer = Analyzer(knowledge: TestSupport.knowledge)
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        return analyzer.analyze(sources: [.bytes(name: name, bytes)]).hypotheses.first
    }

    @Test("git's prompt refusal names the module from Go's line above it (wild/048 BuildKit, wild/049 Taskfile)")
    func privateRepoModule() throws {
        let buildkit = try Self.wild("048")
        #expect(buildkit.cause == "private_repo_auth")
        #expect(buildkit.subjects["module"] == "github.com/olumuyiwadad/XDPoSChain")
        #expect(buildkit.subjects["version"] == "v0.0.0-20210822085431-3aa327803aed")
        #expect(buildkit.title == "Private repository github.com/olumuyiwadad/XDPoSChain needs credentials the build does not have")
        #expect(buildkit.verify.contains("GIT_TERMINAL_PROMPT=0 git ls-remote https://github.com/olumuyiwadad/XDPoSChain"))
        let task = try Self.wild("049")
        #expect(task.subjects["module"] == "github.com/theopenlane/corejobs")
        #expect(task.subjects["version"] == "v0.1.9")
    }

    @Test("GOPATH-mode go get names the repository from its git clone trace (wild/047)")
    func privateRepoFromClone() throws {
        let top = try Self.wild("047")
        #expect(top.cause == "private_repo_auth")
        #expect(top.subjects["module"] == "github.com/Psiphon-Inc/goregen")
    }

    @Test("a context line too far above, or in another input, lends nothing")
    func contextIsNear() throws {
        let far = try #require(Self.top([
            "go: example.com/private/lib@v1.0.0: git ls-remote -q origin in /go/pkg/mod/cache/vcs/0a: exit status 128:",
            "\tremote: counting objects", "\tremote: compressing", "\tremote: done",
            "\tfatal: could not read Username for 'https://example.com': terminal prompts disabled",
        ]))
        #expect(far.cause == "private_repo_auth")
        #expect(far.subjects["module"] == nil)
        let near = try #require(Self.top([
            "go: example.com/private/lib@v1.0.0: git ls-remote -q origin in /go/pkg/mod/cache/vcs/0a: exit status 128:",
            "\tfatal: could not read Username for 'https://example.com': terminal prompts disabled",
        ]))
        #expect(near.subjects["module"] == "example.com/private/lib")
        // Two inputs: the second's prompt line is not under the first's module line.
        let analyzer = Analyzer(knowledge: TestSupport.knowledge)
        let first = Array("go: example.com/private/lib@v1.0.0: git ls-remote -q origin in /x: exit status 128:\n".utf8)
        let second = Array("\tfatal: could not read Username for 'https://example.com': terminal prompts disabled\n".utf8)
        let report = analyzer.analyze(sources: [.bytes(name: "a.log", first), .bytes(name: "b.log", second)])
        let top = try #require(report.hypotheses.first { $0.cause == "private_repo_auth" })
        #expect(top.subjects["module"] == nil)
    }

    @Test("ERESOLVE names the package found and the range wanted, from npm's block (wild/027, wild/030)")
    func dependencyConflict() throws {
        let next = try Self.wild("027")
        #expect(next.cause == "dependency_conflict")
        #expect(next.subjects["package"] == "next")
        #expect(next.subjects["range"] == ">=10.2.0")
        #expect(next.subjects["required_by"] == "eslint-config-next@12.1.4")
        let eslint = try Self.wild("030")
        #expect(eslint.subjects["package"] == "eslint")
        #expect(eslint.subjects["version"] == "6.1.0")
        #expect(eslint.subjects["range"] == "^5.0.0")
        #expect(eslint.title == "Dependency versions conflict over eslint (6.1.0 found, eslint@^5.0.0 wanted by @typescript-eslint/parser@1.13.0)")
        #expect(eslint.verify.contains("npm explain eslint"))
        let svelte = try Self.wild("029")
        #expect(svelte.subjects["package"] == "postcss-load-config")
        #expect(svelte.subjects["range"] == "^2.1.0")
    }

    @Test("a 401 names the registry host and package: from the URL (wild/073) or the debug log's pkgid above (wild/074)")
    func registryAuthHost() throws {
        let concourse = try Self.wild("073")
        #expect(concourse.cause == "registry_auth_required")
        #expect(concourse.subjects["host"] == "registry.npmjs.org")
        #expect(concourse.subjects["package"] == "q")
        let codeartifact = try Self.wild("074")
        #expect(codeartifact.cause == "registry_auth_required")
        #expect(codeartifact.subjects["host"] == "confluent-524708692776.d.codeartifact.us-west-2.amazonaws.com")
        #expect(codeartifact.subjects["package"] == "ieee754")
        #expect(codeartifact.title.hasPrefix("confluent-524708692776.d.codeartifact.us-west-2.amazonaws.com requires authentication"))
    }

    @Test("npm's bare EAI_AGAIN takes the host from the debug log's request line above it (wild/015)")
    func eaiAgainHost() throws {
        let top = try Self.wild("015")
        #expect(top.cause == "dns_server_unreachable")
        #expect(top.subjects["host"] == "registry.npmjs.org")
    }

    @Test("through a proxy: a bare EAI_AGAIN for the proxy's name under a request to the registry is the proxy's")
    func eaiAgainThroughProxy() throws {
        // npm 3's debug-log shape (wild/015) with the lookup of a proxy, as in npm/npm#7418's config.
        let top = try #require(Self.top([
            "21 http request GET https://registry.npmjs.org/express",
            "22 info retry will retry, error on last attempt: Error: getaddrinfo EAI_AGAIN proxy.corp.example:811",
        ]))
        #expect(top.cause == "http_proxy_misconfigured")
        #expect(top.subjects["proxy"] == "proxy.corp.example:811")
        #expect(top.subjects["host"] == "registry.npmjs.org")
    }

    @Test("root-owned cache files with the chown line cut off: the block's path names the cache (wild/046)")
    func rootOwnedCache() throws {
        let top = try Self.wild("046")
        #expect(top.cause == "cache_permission_denied")
        #expect(top.subjects["path"] == "/var/www/.npm")
    }

    @Test("a standard-library package looked for as a module is an old toolchain, not a malformed path (wild/065, 146, 147)")
    func stdlibOnOldGo() throws {
        for (prefix, package) in [("065", "embed"), ("146", "io/fs"), ("147", "embed")] {
            let top = try Self.wild(prefix)
            #expect(top.cause == "toolchain_too_old", "\(prefix)")
            #expect(top.subjects["package"] == package, "\(prefix)")
        }
        let typo = try #require(Self.top(["go: malformed module path \"daegalus/caddy-anubis\": missing dot in first path element"]))
        #expect(typo.cause == "malformed_module_path")
    }

    @Test("go -x traces: a 5xx, 403 or 401 from the proxy is its cause; a 404 probe is not")
    func goTraceStatuses() throws {
        // G-500-3 (artipie/artipie#540): the trace line, then Go's own.
        let artipie = try #require(Self.top([
            "# get http://localhost:8080/my-go-proxy/golang.org/x/@v/list",
            "# get http://localhost:8080/my-go-proxy/golang.org/x/@v/list: 500 Internal Server Error (0.601s)",
        ]))
        #expect(artipie.cause == "proxy_server_error")
        #expect(artipie.subjects["host"] == "localhost")
        #expect(artipie.subjects["status"] == "500")
        let forbidden = try #require(Self.top([
            "# get https://proxy.golang.org/github.com/klauspost/compress/@v/v1.13.4.zip: 403 Forbidden (0.311s)",
        ]))
        #expect(forbidden.cause == "proxy_forbidden")
        // G-404-2 (goproxyio/goproxy#231) without Go's own error line: a probe's 404 alone breaks nothing.
        let probe = Analyzer(knowledge: TestSupport.knowledge).analyze(sources: [.bytes(name: "x.log", Array(
            "# get https://goproxy.io/nhooyr.io/websocket/@v/v1.8.7.info\n# get https://goproxy.io/nhooyr.io/websocket/@v/v1.8.7.info: 404 Not Found (1.193s)\n".utf8))])
        #expect(!probe.hypotheses.contains { $0.cause == "module_not_found" && $0.confidence >= 0.5 })
    }

    @Test("a context without anchors, patterns or groups is refused with its place")
    func contextValidation() {
        let pack = """
        pack: t
        signatures:
          - id: t.one
            cause: private_repo_auth
            all: ["prompts disabled"]
            context:
              lines: 50
              anchors: ["go"]
              patterns: ['no groups here']
            examples: ["terminal prompts disabled"]
        """
        var errors: [RuleError] = []
        _ = KnowledgeBaseLoader.loadPack(pack, file: "t.yaml", causes: TestSupport.knowledge.causes, errors: &errors)
        let messages = errors.map(\.message).joined(separator: "\n")
        #expect(messages.contains("'lines' must be between 1.0 and 20.0"))
        #expect(messages.contains("too short to prefilter"))
        #expect(messages.contains("names no group"))
        #expect(errors.allSatisfy { $0.file == "t.yaml" && $0.line != nil })
    }
}
