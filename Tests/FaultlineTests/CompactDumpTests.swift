import Foundation
import Testing
import FaultlineDecode

/// A million-thread dump must cost far less than the dump: per-thread state packed, common stacks
/// stored once. (The figures before and after are in the benchmark notes; these tests keep
/// the layout from growing back.)
@Suite("Compact thread-dump memory")
struct CompactDumpTests {
    @Test("a thread is 120 bytes and a lock line 32, whatever optional fields it has")
    func layout() {
        #expect(MemoryLayout<JavaThread>.stride <= 120)
        #expect(MemoryLayout<LockAction>.stride <= 32)
        var thread = JavaThread(name: "worker-1", line: 1, byteOffset: 0)
        #expect(thread.javaID == nil && thread.tid == nil && thread.cpuMilliseconds == nil && thread.state == nil && thread.osState == nil)
        thread.javaID = 12
        thread.tid = 0x7f5e_2800_1000
        thread.cpuMilliseconds = 12.5
        thread.state = .timedWaiting
        thread.osState = "waiting on condition"
        thread.stateDetail = "a word of its own"
        thread.carriedVirtualThread = 40
        #expect(thread.javaID == 12 && thread.tid == 0x7f5e_2800_1000 && thread.cpuMilliseconds == 12.5)
        #expect(thread.state == .timedWaiting && thread.osState == "waiting on condition" && thread.stateDetail == "a word of its own")
        #expect(thread.carriedVirtualThread == 40)
        thread.stateDetail = "parking"
        thread.carriedVirtualThread = nil
        #expect(thread.stateDetail == "parking" && thread.carriedVirtualThread == nil)
    }

    @Test("threads with the same stack share one frame array; others get their own")
    func sharedStacks() throws {
        let path = JstackSupport.samples.appendingPathComponent("vthread-healthy/threads.txt")
        let dump = try #require(JstackSupport.read(JstackSupport.bytes(path)).dumps.first).dump
        let pollers = dump.threads.filter { $0.name.hasPrefix("poller-") }
        #expect(pollers.count == 100)
        let buffers = Set(pollers.map { $0.frames.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } })
        #expect(buffers.count == 1, "100 sleeping pollers with one stack hold one array")
        let main = try #require(dump.threads.first { $0.name == "main" })
        #expect(main.frames.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } != buffers.first)
    }
}
