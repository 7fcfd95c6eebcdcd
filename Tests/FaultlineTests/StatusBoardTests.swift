import Foundation
import Testing
import Faultline

@Suite("Status board")
struct StatusBoardTests {
    /// A pipe whose reading end gives back everything written so far.
    final class Capture {
        let read: Int32
        let write: Int32
        init() {
            var ends: [Int32] = [-1, -1]
            _ = pipe(&ends)
            read = ends[0]
            write = ends[1]
            _ = fcntl(read, F_SETFL, O_NONBLOCK)
        }
        deinit {
            close(read)
            close(write)
        }
        func take() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = Glibc.read(read, &chunk, chunk.count)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test("on a terminal: the status line is cleared before output and redrawn below complete lines only")
    func terminalLine() {
        let status = Capture()
        let screen = Capture()
        let board = StatusBoard(descriptor: status.write, mode: .terminal)
        let output = OutputSink(descriptor: screen.write, isTerminal: true)
        board.show("faultline: A", key: "a")
        #expect(status.take() == "faultline: A")
        board.beforeOutput(output)
        #expect(status.take() == "\r\u{1B}[K")
        Array("partial".utf8).withUnsafeBytes { _ = output.write($0) }
        board.afterOutput([output])
        #expect(status.take() == "")  // mid-line: drawing now would overwrite it
        board.beforeOutput(output)
        Array(" line\n".utf8).withUnsafeBytes { _ = output.write($0) }
        board.afterOutput([output])
        #expect(status.take() == "faultline: A")
        #expect(screen.take() == "partial line\n")
        board.finish()
        #expect(status.take() == "\r\u{1B}[K")
    }

    @Test("elsewhere: plain lines, each status once, on a line of its own")
    func plainLines() {
        let status = Capture()
        let board = StatusBoard(descriptor: status.write, mode: .lines)
        let output = OutputSink(descriptor: status.write, isTerminal: false)
        board.show("faultline: A", key: "a")
        board.show("faultline: B", key: "b")
        board.show("faultline: A again", key: "a")
        Array("half".utf8).withUnsafeBytes { _ = output.write($0) }
        board.afterOutput([output])
        board.note("faultline: stalled")
        #expect(status.take() == "faultline: A\nfaultline: B\nhalf\nfaultline: stalled\n")
    }

    @Test("a status names the cause, the line and the fix, with control characters made harmless")
    func statusLine() throws {
        var live = LiveCase(knowledge: TestSupport.knowledge, inputs: [.stream("-")])
        let line = "go: example.com/m@v1.0.0: Get \"https://proxy.golang.org/example.com/m/@v/v1.0.0.mod\": dial tcp: lookup proxy.golang.org on 10.0.0.53:53: read udp 10.0.0.2:40000->10.0.0.53:53: i/o timeout\u{1B}[2J\n"
        Array(line.utf8).withUnsafeBytes { live.feed($0, input: 0, arrival: 1_800_000_000) }
        let status = try #require(LiveStatus(live.snapshot()))
        #expect(status.cause == "dns_server_unreachable")
        #expect(status.place == "stdin:1")
        #expect(status.line.hasPrefix("faultline: dns_server_unreachable: Resolver 10.0.0.53:53 never answered for proxy.golang.org (stdin:1) — fix: "))
        #expect(!status.line.contains("\u{1B}"))
    }
}
