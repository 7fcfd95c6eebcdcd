import Foundation
import Testing
import Faultline
import FaultlineDecode

/// Thread names written by old Windows JVMs in their 8-bit code page (Latin-1 or CP1252): the
/// bytes are kept, the thread is kept, and every report shows the byte as `\xHH`.
@Suite("Thread names in a legacy 8-bit encoding")
struct LegacyThreadNameTests {
    /// A CP1252 dump: `Überwachung` (0xDC) and `Lagerbestände` (0xE4), deadlocked on two monitors.
    static var bytes: [UInt8] {
        func latin1(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }
        return latin1("""
        Full thread dump Java HotSpot(TM) Client VM (1.5.0_22-b03 mixed mode):

        "Überwachung-1" prio=6 tid=0x02b3e800 nid=0x7f4 waiting for monitor entry [0x02f8f000..0x02f8fd94]
        \tat de.firma.lager.Lager.buchen(Lager.java:88)
        \t- waiting to lock <0x22e56c10> (a de.firma.lager.Konto)
        \t- locked <0x22e56c20> (a de.firma.lager.Konto)
        \tat java.lang.Thread.run(Thread.java:595)

        "Lagerbestände-2" prio=6 tid=0x02b3f000 nid=0x7f8 waiting for monitor entry [0x02fcf000..0x02fcfd14]
        \tat de.firma.lager.Lager.buchen(Lager.java:88)
        \t- waiting to lock <0x22e56c20> (a de.firma.lager.Konto)
        \t- locked <0x22e56c10> (a de.firma.lager.Konto)
        \tat java.lang.Thread.run(Thread.java:595)

        """)
    }

    @Test("the bytes are kept as \\xHH escapes, the threads are kept, and it is said once")
    func decoded() throws {
        let (dumps, diagnostics) = JstackSupport.read(Self.bytes, chunk: 3)
        let analysed = try #require(dumps.first)
        #expect(analysed.dump.threads.map(\.name) == ["\\xDCberwachung-1", "Lagerbest\\xE4nde-2"])
        #expect(!analysed.dump.threads.contains { $0.name.contains("\u{FFFD}") })
        #expect(diagnostics.map(\.code) == ["input.invalid-utf8"])
        #expect(diagnostics.first?.message.contains("\\xHH") == true)
        let finding = try #require(analysed.analysis.findings.first)
        #expect(finding.cause == "jvm_deadlock" && finding.subjects["thread"] == "\\xDCberwachung-1")
    }

    @Test("the report names the thread with its byte escaped, in text and JSON")
    func reported() throws {
        let path = try TestSupport.scratchFile("cp1252-dump.txt", Self.bytes)
        let report = TestSupport.analyze([path])
        let top = try #require(report.hypotheses.first)
        #expect(top.cause == "jvm_deadlock")
        #expect(top.subjects["thread"] == "\\xDCberwachung-1")
        let text = ReportFormat.text.renderer().render(report)
        #expect(text.contains("\\xDCberwachung-1") && text.contains("Lagerbest\\xE4nde-2"))
        #expect(!text.contains("\u{FFFD}"))
    }
}
