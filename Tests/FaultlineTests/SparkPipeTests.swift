import Foundation
import Testing

/// `scripts/spark-batch.py`: Faultline over an archive of cases through Apache Spark in local mode
/// (`RDD.pipe` into `faultline batch --cases-from -`), the contract Spark, Hadoop streaming and GNU
/// parallel share. Its NDJSON must equal one `faultline batch --sorted` over the same cases.
@Suite("faultline batch through Spark's RDD.pipe")
struct SparkPipeTests {
    static func succeeds(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// PySpark (PyPI) and a Java runtime: scripts/setup.sh installs both.
    static let canRun = succeeds(["python3", "-c", "import pyspark"]) && succeeds(["java", "-version"])

    @Test("the Go samples through PySpark in four partitions give the lines of one faultline batch",
          .enabled(if: canRun, "needs PySpark and Java 17 (scripts/setup.sh installs them)"))
    func sparkEqualsSingleProcess() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-spark-\(getpid()).ndjson")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, stderr) = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), [
            "python3", TestSupport.root.appendingPathComponent("scripts/spark-batch.py").path, LiveProcess.binary.path,
            TestSupport.samples.appendingPathComponent("go").path, "--out", out.path, "--partitions", "4", "--check"])
        #expect(status == 0, "\(stderr.suffix(2000))")
        #expect(stderr.contains("identical to one `faultline batch --sorted`"))
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        let folders = try FileManager.default.contentsOfDirectory(atPath: TestSupport.samples.appendingPathComponent("go").path)
        #expect(lines.count == folders.filter { !$0.hasPrefix(".") }.count)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect((first["report"] as? [String: Any])?["schema"] as? String == "faultline.report/1")
    }
}
