import Foundation
import Testing
import Faultline

/// The HTML report of a multi-source sample (a service log with three thread
/// dumps and its DNS capture) opened in headless Chromium: the page renders
/// to a screenshot that is not blank, its own script runs under its
/// Content-Security-Policy, and the hypotheses and lanes are in the DOM.
/// Chromium is reached through `file://` with every host name unresolvable,
/// so nothing leaves the machine. `scripts/setup.sh` installs Debian's
/// `chromium`; without it the test is skipped, saying so.
@Suite("HTML report in headless Chromium")
struct HTMLBrowserTests {
    static let browser: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// Runs the browser headless on `url` with `arguments` (ended after 90 s): its exit status and standard output.
    static func run(_ browser: String, _ arguments: [String], url: URL, profile: URL) throws -> (status: Int32, output: Data) {
        let process = Process()
        // coreutils' timeout ends a browser that hangs; reading its output waits for it to exit.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["90", browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-proxy-server",
                             "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                             "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=\(profile.path)"]
            + arguments + [url.absoluteString]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// Width, height and byte count of a PNG file, from its IHDR chunk.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }
        func be32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    @Test("the report renders, is not blank, and has its hypotheses and lanes in the DOM",
          .enabled(if: browser != nil, "chromium is not installed: scripts/setup.sh installs Debian's chromium package"))
    func rendersInChromium() throws {
        let browser = try #require(Self.browser)
        let dir = TestSupport.samples.appendingPathComponent("jvm/dns-hang")
        let log = dir.appendingPathComponent("service.log").path
        let capture = dir.appendingPathComponent("dns.pcap").path
        let report = TestSupport.analyze([log, capture], timeline: true)
        let html = HTMLReportRenderer().render(report)

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-chromium-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let page = scratch.appendingPathComponent("report.html")
        try Data(html.utf8).write(to: page)
        let blank = scratch.appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blank)

        let dom = try Self.run(browser, ["--dump-dom"], url: page, profile: scratch.appendingPathComponent("profile-dom"))
        #expect(dom.status == 0)
        let text = String(decoding: dom.output, as: UTF8.self)
        #expect(text.contains("data-js=\"on\""), "the inline script ran: its hash matches the Content-Security-Policy")
        #expect(text.contains("<article class=\"hypothesis\" id=\"h1\" data-cause=\"dns_server_unreachable\">"))
        #expect(text.contains("Resolver 10.97.0.53:53 never answered for inventory.fl-jvm.internal"))
        #expect(text.contains("<g class=\"lane\" data-input=\"\(log)\" data-format=\"jstack\">"))
        #expect(text.contains("<g class=\"lane\" data-input=\"\(capture)\" data-format=\"pcap\">"))
        #expect(text.contains("class=\"m dump\""), "thread-dump snapshots are drawn")

        let shot = scratch.appendingPathComponent("report.png")
        let blankShot = scratch.appendingPathComponent("blank.png")
        let size = ["--window-size=1280,1600"]
        #expect(try Self.run(browser, size + ["--screenshot=\(shot.path)"], url: page, profile: scratch.appendingPathComponent("profile-a")).status == 0)
        #expect(try Self.run(browser, size + ["--screenshot=\(blankShot.path)"], url: blank, profile: scratch.appendingPathComponent("profile-b")).status == 0)
        let png = try Data(contentsOf: shot)
        let blankPNG = try Data(contentsOf: blankShot)
        let dimensions = try #require(Self.pngSize(png))
        #expect(dimensions.width == 1280 && dimensions.height == 1600)
        // A uniform page compresses to almost nothing; text, boxes and a timeline do not.
        #expect(png.count > 20 * blankPNG.count, "report \(png.count) bytes vs blank \(blankPNG.count) bytes")
    }
}
