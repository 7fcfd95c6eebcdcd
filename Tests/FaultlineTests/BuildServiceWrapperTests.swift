import Foundation
import Testing
import Faultline
@testable import FaultlineDecode
import FaultlineCore

/// The wrappers build services put around a tool's lines, besides CI runners' and Docker's:
/// logging libraries (Python's `logging`, logfmt, logrus, Tekton's step prefix), Podman's
/// `STEP i/n:` and golangci's build runner `[STEP]`. Each is peeled so the tool's text meets
/// the signatures as the tool wrote it, and each keeps what it says (time, level, step).
@Suite("Build services' wrappers")
struct BuildServiceWrapperTests {
    func unwrap(_ line: String) -> UnwrappedLine {
        var parser = EnvelopeParser()
        return Array(line.utf8).withUnsafeBytes { parser.unwrap($0) }
    }

    @Test("Python logging's default format: the time is the line's, the level its severity, the rest the tool's text")
    func pythonLogging() throws {
        // Samples/go/dns-unreachable-logger/build.log, line 2 (Python's logging module wrote the prefix).
        let line = unwrap("2026-12-06 07:33:22,259 - fl.builder - INFO - go: example.com/fl/greeting@v1.0.0: Get \"http://proxy.golang.org:8080/example.com/fl/greeting/@v/v1.0.0.mod\": dial tcp: lookup proxy.golang.org on 10.99.1.53:53: read udp 10.99.0.2:54799->10.99.1.53:53: i/o timeout")
        #expect(line.payload.hasPrefix("go: example.com/fl/greeting@v1.0.0: Get "))
        #expect(line.loggedSeverity == .info)
        #expect(line.wrappers == ["timestamp", "logger"])
        let seconds = try #require(line.ciTime)
        #expect(Timestamp.formatRFC3339(seconds) == "2026-12-06T07:33:22.259Z")
        let failed = unwrap("2026-12-06 07:33:22,260 - fl.builder - ERROR - step 'go mod download' failed after 2.0s with exit status 1")
        #expect(failed.loggedSeverity == .error)
        #expect(failed.payload == "step 'go mod download' failed after 2.0s with exit status 1")
        // basicConfig's default, and a bare level after the time.
        #expect(unwrap("ERROR:root:npm ERR! code E401").payload == "npm ERR! code E401")
        #expect(unwrap("2024-05-01 10:00:00,001 WARNING npm WARN deprecated left-pad@1.3.0").payload == "npm WARN deprecated left-pad@1.3.0")
    }

    @Test("a GitHub Actions time is not a logger's, and BuildKit's ERROR after it stays the tool's text")
    func ciTimesUntouched() {
        let line = unwrap("2024-01-01T12:00:00.1234567Z ERROR: failed to solve: process \"/bin/sh -c go mod download\" did not complete successfully: exit code: 1")
        #expect(line.payload.hasPrefix("ERROR: failed to solve"))
        #expect(line.loggedSeverity == nil)
        #expect(unwrap("2024-01-01T12:00:00.1234567Z INFO something").payload == "INFO something")
    }

    @Test("logfmt (golangci-lint, grokify/mogo#105): the quoted message, unescaped, is the line; its Go error is found")
    func logfmt() throws {
        let raw = #"level=error msg="Running error: context loading failed: failed to load packages: failed to load with go/packages: err: exit status 1: stderr: go: downloading go1.22 (linux/amd64)\ngo: download go1.22 for linux/amd64: toolchain not available\n""#
        let line = unwrap(raw)
        #expect(line.loggedSeverity == .error)
        #expect(line.payload.hasPrefix("Running error: context loading failed"))
        #expect(line.payload.contains("go: download go1.22 for linux/amd64: toolchain not available"))
        #expect(!line.payload.contains(#"\n"#))
        let report = Analyzer(knowledge: TestSupport.knowledge).analyze(sources: [.bytes(name: "lint.log", Array((raw + "\n").utf8))])
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "toolchain_too_old")
        #expect(top.subjects["required"] == "1.22")
    }

    @Test("Kaniko's logrus lines under Tekton's step prefix (tektoncd/pipeline#4597), Maven's [INFO]")
    func logrusAndTekton() {
        let kaniko = unwrap("[build-push-image : build-push-image] INFO[2022-02-18T03:28:37Z] RUN xx")
        #expect(kaniko.payload == "RUN xx")
        let tool = unwrap("[build-push-image : build-push-image] npm ERR! code E401")
        #expect(tool.payload == "npm ERR! code E401")
        // jhipster/generator-jhipster#18250: the frontend-maven-plugin prefixes npm's lines.
        let maven = unwrap("[INFO] npm ERR! code ERESOLVE")
        #expect(maven.payload == "npm ERR! code ERESOLVE")
        let error = unwrap("[ERROR] Failed to execute goal com.github.eirslett:frontend-maven-plugin:1.12.1:npm (npm install)")
        #expect(error.loggedSeverity == .error)
        // A BuildKit step name in brackets is not a level.
        #expect(unwrap("#9 [builder 4/6] RUN go mod download").payload == "[builder 4/6] RUN go mod download")
    }

    @Test("Podman's steps and failure (Samples/go/private-repo-auth-podman): the cause explains the failed step")
    func podman() throws {
        let log = TestSupport.samples.appendingPathComponent("go/private-repo-auth-podman/build.log").path
        let top = try #require(TestSupport.analyze([log]).hypotheses.first)
        #expect(top.cause == "private_repo_auth")
        #expect(top.subjects["step"] == "RUN go mod download")
        #expect(top.subjects["exit_code"] == "1")
        #expect(top.explains.contains("build_step_failed"))
        // The step was opened by its `[1/2] STEP 4/6: RUN go mod download` line, not guessed from the failure.
        let timeline = TestSupport.analyze([log], timeline: true).timeline
        #expect(timeline.contains { $0.kind == .stepStart && $0.location.line == 8 && $0.step?.key == "podman:4" })
        let failed = try #require(top.evidence.first { $0.role == "step failed" })
        #expect(failed.line == 13)
        #expect(failed.text == "Error: building at STEP \"RUN go mod download\": while running runtime: exit status 1")
    }

    @Test("OpenShift's Buildah wording (wild/181) and golangci's build runner (wild/180) name the failed step")
    func buildahAndGolangciRunner() throws {
        let folder = TestSupport.root.appendingPathComponent("Tests/FaultlineTests/Corpus/wild")
        let buildah = try #require(TestSupport.analyze([folder.appendingPathComponent("181-go-openshift-s2i-build-no-gomod.log").path]).hypotheses.first)
        #expect(buildah.cause == "gomod_missing")
        #expect(buildah.subjects["step"] == "RUN /usr/libexec/s2i/assemble")
        #expect(buildah.evidence.contains { $0.role == "step failed" && $0.line == 5 })
        let runner = try #require(TestSupport.analyze([folder.appendingPathComponent("180-go-golangci-runner-modules-disabled-in-gopath.log").path]).hypotheses.first)
        #expect(runner.cause == "gopath_mode")
        #expect(runner.subjects["step"] == "go mod download")
        #expect(runner.evidence.contains { $0.role == "step failed" })
    }
}
