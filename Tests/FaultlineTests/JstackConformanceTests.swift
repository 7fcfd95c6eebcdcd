import Foundation
import Testing
import Faultline
import FaultlineDecode
import FaultlineInput

/// Real thread dumps from public analysers' test data (`Conformance/jstack/`,
/// see its LICENSE-NOTE.txt), checked against what `INDEX.tsv` states about
/// each: dumps, threads, states, deadlocks.
@Suite("Thread dumps: conformance")
struct JstackConformanceTests {
    @Test("the index lists every dump file of the folder")
    func indexCoversFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: JstackSupport.conformance.path)
            .filter { $0 != "INDEX.tsv" && $0 != "LICENSE-NOTE.txt" }
        #expect(Set(files) == Set(JstackSupport.IndexRow.all.map(\.file)))
        #expect(JstackSupport.IndexRow.all.count == 15)
        #expect(FileManager.default.fileExists(atPath: JstackSupport.conformance.appendingPathComponent("LICENSE-NOTE.txt").path))
    }

    @Test("threads, states and deadlocks as INDEX.tsv states them", arguments: JstackSupport.IndexRow.all)
    func conformance(_ row: JstackSupport.IndexRow) throws {
        let url = JstackSupport.conformance.appendingPathComponent(row.file)
        let bytes = JstackSupport.bytes(url)
        let format = bytes.withUnsafeBytes { FormatDetector.detect(UnsafeRawBufferPointer(rebasing: $0.prefix(FormatDetector.sampleSize))) }
        #expect(format.name == (row.file.hasSuffix(".json") ? "jstack-json" : "jstack"), "detected \(format)")
        let (dumps, diagnostics) = JstackSupport.read(bytes, form: row.file.hasSuffix(".json") ? .json : .text, path: row.file)
        #expect(diagnostics.filter { $0.severity >= .warning }.isEmpty, "no file may fail to parse: \(diagnostics)")
        #expect(dumps.filter(\.dump.hasHeader).count == row.headerDumps)
        #expect(dumps.count == max(1, row.headerDumps))
        let threads = dumps.flatMap(\.dump.threads)
        #expect(threads.count == row.threads)
        var states: [String: Int] = [:]
        for thread in threads { if let state = thread.state { states[state.rawValue, default: 0] += 1 } }
        #expect(states == row.states)
        if let stateless = row.stateless {
            #expect(threads.filter { $0.state == nil }.count == stateless)
        }
        if !row.headerWords.isEmpty {
            var words: [String: Int] = [:]
            for thread in threads { if let word = thread.osState { words[word, default: 0] += 1 } }
            #expect(words == row.headerWords)
        }
        let cycles = dumps.flatMap(\.analysis.cycles)
        #expect(cycles.count == row.deadlocks)
        #expect(cycles.allSatisfy { $0.foundInGraph }, "every deadlock is found in the lock graph itself")
        #expect(cycles.allSatisfy { $0.reportedByJVM == row.reportedByJVM })
        #expect(dumps.flatMap(\.dump.jvmDeadlocks).count == (row.reportedByJVM ? row.deadlocks : 0))
        let deadlockFindings = dumps.flatMap(\.analysis.findings).filter { $0.cause == JVMFinding.deadlock }
        #expect(deadlockFindings.count == row.deadlocks)
    }

    @Test("the synchronizer deadlock is found from parking and ownable synchronizers alone")
    func synchronizerDeadlock() throws {
        let bytes = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("olivergondza-dumpling__synchronizer_deadlock.log"))
        let (dumps, _) = JstackSupport.read(bytes)
        let dump = try #require(dumps.first)
        let cycle = try #require(dump.analysis.cycles.first)
        // INDEX.tsv: "AtmostOneTaskExecutor[...] [#15]" holds ReentrantLock <0xf1cf3470> and parks on
        // ReentrantReadWriteLock <0xf253d388>, held by "Executing labels(...)", which parks on <0xf1cf3470>.
        #expect(Set(cycle.threads.map { dump.dump.threads[$0].name })
                == ["AtmostOneTaskExecutor[hudson.model.Queue$1@2f485891] [#15]", "Executing labels(hudson.slaves.NodeProvisionerTest)"])
        #expect(Set(cycle.locks.compactMap { $0?.value }) == [0xf1cf_3470, 0xf253_d388])
        #expect(cycle.involvesOwnableSynchronizer)
        #expect(!cycle.reportedByJVM)
        // The three jenkins.util.Timer threads also park on <0xf1cf3470>: waiters behind the deadlock, not contention.
        let waiters = dump.analysis.graph.waiters[LockRef(value: 0xf1cf_3470)] ?? []
        #expect(waiters.count == 4)
        #expect(waiters.filter { dump.dump.threads[$0].name.hasPrefix("jenkins.util.Timer") }.count == 3)
        #expect(!dump.analysis.findings.contains { $0.cause == JVMFinding.contention })
    }

    @Test("contention: 30 threads on the FrontierScheduler monitor, 7 on an HttpState, 4 on a JE Evictor")
    func urlthreadContention() throws {
        let bytes = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("irockel-tda__urlthread.log"))
        let dump = try #require(JstackSupport.read(bytes).dumps.first)
        let findings = dump.analysis.findings.filter { $0.cause == JVMFinding.contention }
        let byLock = Dictionary(findings.map { ($0.subjects["lock"] ?? "", Int($0.subjects["threads"] ?? "") ?? 0) }, uniquingKeysWith: max)
        #expect(byLock == ["0xd5bada80 (org.archive.crawler.postprocessor.FrontierScheduler)": 30,
                           "0xd5c7d3c0 (org.apache.commons.httpclient.HttpState)": 7,
                           "0xd5bb9a68 (com.sleepycat.je.evictor.Evictor)": 4])
        #expect(findings.count == 3)
        #expect(dump.analysis.findings.count == 3, "nothing else: \(dump.analysis.findings.map(\.summary))")
    }

    @Test("contention: 7 threads wait for one java.lang.Object whose owner sleeps")
    func lockContentionScenario() throws {
        let bytes = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("parttimenerd-jthreaddump__scenarios-lock-contention-dump-2.txt"))
        let dump = try #require(JstackSupport.read(bytes).dumps.first)
        let finding = try #require(dump.analysis.findings.first)
        #expect(dump.analysis.findings.count == 1)
        #expect(finding.cause == JVMFinding.contention)
        #expect(finding.subjects["lock"] == "0x000000057372ee30 (java.lang.Object)")
        #expect(finding.subjects["threads"] == "7")
        #expect(finding.subjects["owner"] == "pool-6-thread-4")
        #expect(finding.subjects["owner_state"] == "TIMED_WAITING")
        #expect(finding.summary.contains("the owner sleeps while holding the lock"))
        #expect(finding.confidence > 0.85)
    }

    @Test("dump times: the local timestamp line in the zone asked for; none without one")
    func times() throws {
        let deadlock = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("parttimenerd-jthreaddump__deadlock.txt"))
        let header = String(decoding: deadlock.prefix(19), as: UTF8.self)
        let utc = try #require(JstackSupport.read(deadlock).dumps.first?.dump.time)
        let zone = try #require(DumpTimeZone("Europe/Berlin"))
        let berlin = try #require(JstackSupport.read(deadlock, timeZone: zone).dumps.first?.dump.time)
        #expect(utc.source == .header)
        #expect(utc.written == header)
        let utcSeconds = try #require(utc.seconds)
        let berlinSeconds = try #require(berlin.seconds)
        #expect(Timestamp.formatRFC3339(utcSeconds) == header.replacingOccurrences(of: " ", with: "T") + ".000Z")
        // December: Berlin is UTC+1.
        #expect(utcSeconds - berlinSeconds == 3600)
        #expect(berlin.zone == "Europe/Berlin")
        let noStamp = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("igr-tdv__0005-tdump.txt"))
        let none = try #require(JstackSupport.read(noStamp).dumps.first?.dump.time)
        #expect(none.seconds == nil && none.source == .none)
        #expect(none.explanation.contains("no time"))
        // HP-UX: the date is inside the header, with its own zone (KST = UTC+9), 4 s between the two dumps.
        let hp = JstackSupport.read(JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("irockel-tda__hpdump.log"))).dumps
        #expect(hp.map { $0.dump.time.seconds.map(Timestamp.formatRFC3339) } == ["2008-03-15T05:48:56.000Z", "2008-03-15T05:49:00.000Z"])
        #expect(hp.allSatisfy { $0.dump.time.zone == "KST" })
        // Thread.dump_to_file JSON carries a UTC instant.
        let json = JstackSupport.read(JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("irockel-tda__intellij_dump.json")), form: .json)
        #expect(json.dumps.first?.dump.time.seconds.map(Timestamp.formatRFC3339) == "2026-01-25T15:46:04.439Z")
        #expect(json.dumps.first?.dump.jvm == "21.0.10+7-LTS")
    }

    @Test("a series in one file: the second HP-UX dump compared with the first")
    func hpSeries() throws {
        let hp = JstackSupport.read(JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("irockel-tda__hpdump.log"))).dumps
        #expect(hp.count == 2)
        let step = try #require(hp.last?.analysis.step)
        #expect(step.position == 2)
        #expect(step.appearedCount == 0 && step.vanishedCount == 0)
        #expect(step.unmovedCount > 0)
        // Server threads reading the next request and idle selectors are at rest: nothing is stuck.
        #expect(hp.allSatisfy { $0.analysis.findings.isEmpty }, "\(hp.flatMap(\.analysis.findings).map(\.summary))")
    }

    @Test("carriers of mounted virtual threads: no nid, no state, frames split at the mount")
    func virtualThreadCarriers() throws {
        let bytes = JstackSupport.bytes(JstackSupport.conformance.appendingPathComponent("parttimenerd-jthreaddump__many-virtual-threads.txt"))
        let dump = try #require(JstackSupport.read(bytes).dumps.first).dump
        let carriers = dump.threads.filter { $0.carriedVirtualThread != nil }
        #expect(carriers.count == 10)
        #expect(carriers.allSatisfy { $0.nid == nil && $0.state == nil && $0.mountedFrameStart != nil })
        let first = try #require(carriers.first)
        #expect(first.name == "ForkJoinPool-1-worker-1" && first.carriedVirtualThread == 206 && first.javaID == 65 && first.osThreadID == 62471)
    }
}
