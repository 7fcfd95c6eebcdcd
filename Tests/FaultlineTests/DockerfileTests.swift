import Foundation
import Testing
import Faultline

/// The Dockerfile's run stage has every system library the binary links, and — where a Docker
/// daemon is at hand and `FAULTLINE_DOCKER_TESTS=1` asks for it (the build takes minutes) —
/// the image builds and analyses a sample.
@Suite("Dockerfile")
struct DockerfileTests {
    static var dockerfile: String {
        (try? String(contentsOf: TestSupport.root.appendingPathComponent("Dockerfile"), encoding: .utf8)) ?? ""
    }

    /// Runs a program found on PATH; its standard output, or nil when it cannot run or fails.
    static func output(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    @Test("the run stage installs the Debian package of every system library the binary needs")
    func runtimePackages() throws {
        let stages = Self.dockerfile.components(separatedBy: "\nFROM ")
        let run = try #require(stages.last, "a multi-stage Dockerfile")
        #expect(stages.count == 3 && run.hasPrefix("debian:bookworm-slim"))
        let dynamic = try #require(Self.output(["readelf", "-d", CLIProcess.binary]))
        let needed = dynamic.matches(of: /\(NEEDED\)\s+Shared library: \[([^\]]+)\]/).map { String($0.output.1) }
        // The Swift runtime and Foundation are linked statically in release builds; the C library is in every image.
        let system = needed.filter { !$0.hasPrefix("libswift") && !$0.hasPrefix("libFoundation") && !$0.hasPrefix("libdispatch")
            && !$0.hasPrefix("libBlocksRuntime") && !["libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2"].contains($0) }
        #expect(Set(system).isSuperset(of: ["libpcap.so.0.8", "libarchive.so.13", "libsqlite3.so.0", "libz.so.1"]))
        for library in system {
            let owners = try #require(Self.output(["dpkg", "-S", library]), "no Debian package has \(library)")
            let package = owners.split(separator: "\n").first { $0.hasSuffix("/" + library) }?.split(separator: ":").first
            let name = try #require(package.map(String.init), "\(library): \(owners)")
            #expect(run.contains(" \(name) ") || run.contains(" \(name)\n"), "the run stage lacks \(name) (for \(library))")
        }
    }

    static var dockerRequested: Bool {
        ProcessInfo.processInfo.environment["FAULTLINE_DOCKER_TESTS"] == "1" && output(["docker", "info"]) != nil
    }

    @Test("docker build, then docker run analyze on a sample", .enabled(if: dockerRequested))
    func buildAndRun() throws {
        let root = TestSupport.root.path
        #expect(Self.output(["docker", "build", "-t", "faultline-test", root]) != nil)
        let report = try #require(Self.output(["docker", "run", "--rm", "-v", "\(root)/Samples:/w:ro", "faultline-test",
                                               "analyze", "--format", "json", "/w/go/dns-refused"]))
        #expect(report.contains("\"cause\": \"dns_refused\""))
    }
}
