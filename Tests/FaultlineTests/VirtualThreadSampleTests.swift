import Foundation
import Testing
import Faultline
import FaultlineDecode

/// The Temurin 25 virtual-thread samples (`Samples/jvm/vthread-*`, made by
/// `make-vthread-samples.sh`), each in the three forms one JVM gave at once:
/// `Thread.dump_to_file` JSON and text, and `jstack -l`.
@Suite("Real virtual-thread dumps (JDK 25)")
struct VirtualThreadSampleTests {
    static func read(_ folder: String, _ file: String, form: ThreadDumpReader.Form = .text) throws -> ThreadDumpReader.AnalysedDump {
        let url = JstackSupport.samples.appendingPathComponent(folder).appendingPathComponent(file)
        let (dumps, diagnostics) = JstackSupport.read(JstackSupport.bytes(url), form: form)
        #expect(diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(diagnostics)")
        return try #require(dumps.first)
    }

    @Test("pinned by a class initializer and a JNI frame: carrier starvation in all three forms, naming both pins")
    func pinned() throws {
        for (file, form) in [("threads.json", ThreadDumpReader.Form.json), ("threads.txt", .text), ("jstack.txt", .text)] {
            let analysed = try Self.read("vthread-pinned", file, form: form)
            #expect(analysed.analysis.findings.map(\.cause) == ["jvm_carrier_starvation"], "\(file)")
            let finding = try #require(analysed.analysis.findings.first)
            #expect(finding.subjects["carriers"] == "2" && finding.subjects["pool"] == "ForkJoinPool-1-worker", "\(file)")
            #expect(finding.summary.contains("PinnedCarriers$PriceTable.<clinit>"), "\(file): \(finding.summary)")
            #expect(finding.summary.contains("PinnedCarriers.withNativeFrame(Native Method)"), "\(file): \(finding.summary)")
            if file == "jstack.txt" {
                // jstack shows only the two mounted virtual threads: the ten waiting ones are invisible.
                #expect(finding.subjects["waiting_virtual_threads"] == nil && finding.confidence < 0.7)
            } else {
                #expect(finding.subjects["waiting_virtual_threads"] == "10" && finding.confidence > 0.85)
            }
        }
    }

    @Test("a ReentrantLock deadlock of two virtual threads: inferred from both Thread.dump_to_file forms, invisible to jstack")
    func lockDeadlock() throws {
        for (file, form) in [("threads.json", ThreadDumpReader.Form.json), ("threads.txt", .text)] {
            let analysed = try Self.read("vthread-lock-deadlock", file, form: form)
            #expect(analysed.analysis.findings.map(\.cause) == ["jvm_deadlock"], "\(file)")
            let finding = try #require(analysed.analysis.findings.first)
            #expect(Set(finding.threads.map { analysed.dump.threads[$0].name }) == ["transfer-A-to-B", "transfer-B-to-A"])
            #expect(finding.subjects["owners"] == "inferred")
            #expect(finding.confidence >= 0.65 && finding.confidence < 0.8)
            #expect(finding.summary.contains("VirtualLockDeadlock.transfer(VirtualLockDeadlock.java:23)"), "\(finding.summary)")
        }
        // Parked virtual threads are unmounted: jstack lists neither, and must not invent anything.
        let jstack = try Self.read("vthread-lock-deadlock", "jstack.txt")
        #expect(!jstack.dump.threads.contains { $0.name.hasPrefix("transfer-") })
        #expect(jstack.analysis.findings.isEmpty)
    }

    @Test("a healthy virtual-thread service: 300 virtual threads parked in sleep and take, no finding in any form")
    func healthy() throws {
        for (file, form) in [("threads.json", ThreadDumpReader.Form.json), ("threads.txt", .text), ("jstack.txt", .text)] {
            let analysed = try Self.read("vthread-healthy", file, form: form)
            #expect(analysed.analysis.findings.isEmpty, "\(file): \(analysed.analysis.findings.map(\.summary))")
            if file != "jstack.txt" { #expect(analysed.dump.threads.filter(\.isVirtual).count >= 300) }
        }
    }
}
