import Foundation
import FaultlineCore
import FaultlineInput
public import FaultlineRules

/// Runs a batch: every case under the paths given, each analysed on its own
/// by the same `Analyzer` as `faultline analyze`, on `jobs` worker threads.
///
/// The calling thread finds the cases (`BatchPlan`), then reads them: files
/// are named to the workers by path; an archive is read once more as a
/// stream, each case's members buffered in memory (up to `caseByteLimit`) and
/// the case handed over as soon as its last member has been read. A bounded
/// queue between reader and workers keeps memory bounded by the cases in
/// flight; no report is held after its result has been emitted.
///
/// ```swift
/// let runner = try BatchRunner(knowledge: knowledge, options: BatchOptions(jobs: 2))
/// let summary = runner.run(paths: ["ci-logs/"]) { result in print(result.line) }
/// ```
public struct BatchRunner: Sendable {
    public let knowledge: KnowledgeBase
    public let options: BatchOptions

    /// - Throws: `BatchError` when `options.caseKey` is not a regular expression.
    public init(knowledge: KnowledgeBase, options: BatchOptions) throws(BatchError) {
        _ = try CaseGrouping(pattern: options.caseKey)
        self.knowledge = knowledge
        self.options = options
    }

    /// One case handed to a worker.
    private struct Job: Sendable {
        var rank: Int
        var key: String
        var sources: [InputSource]
    }

    /// Analyses every case under `paths`. `planned` is told how many cases there are (after
    /// sharding) before the first is analysed; `emit` gets each result and `skipped` the key of each
    /// case `options.skip` passed over, never two calls at once.
    public func run(paths: [String], planned: (Int) -> Void = { _ in },
                    skipped: @escaping @Sendable (String) -> Void = { _ in },
                    emit: @escaping @Sendable (BatchResult) -> Void) -> BatchSummary {
        let grouping: CaseGrouping
        do { grouping = try CaseGrouping(pattern: options.caseKey) } catch { return BatchSummary() }
        let plan = BatchPlan(paths: paths, grouping: grouping)
        var selected = plan.cases.indices.filter { options.shard?.contains(key: plan.cases[$0].key) ?? true }
        if options.sorted {
            selected.sort { (plan.cases[$0].key, $0) < (plan.cases[$1].key, $1) }
        }
        planned(selected.count)

        let window = max(64, options.jobs * 16)
        let sink = ResultSink(sorted: options.sorted, window: window, emit: emit, skipped: skipped)
        let queue = CaseQueue<Job>(depth: options.jobs)
        let workers = WorkerPool(count: options.jobs) { [knowledge, options] in
            var analyzer = Analyzer(knowledge: knowledge)
            analyzer.localTimeZone = options.localTimeZone
            analyzer.includeTimeline = options.includeTimeline || options.caseReports?.format.needsTimeline == true
            while let job = queue.take() {
                let fingerprint = options.fingerprints || options.skip != nil ? CaseFingerprint.of(job.sources) : ""
                if let skip = options.skip, skip(job.key, fingerprint) {
                    sink.skipped(rank: job.rank, key: job.key)
                    continue
                }
                let report = analyzer.analyze(sources: job.sources)
                var result = BatchResult(key: job.key, inputs: job.sources.map(\.name), report: report,
                                         rank: job.rank, fingerprint: fingerprint)
                switch options.caseReports?.write(result) {
                case .success(let file): result.reportFile = file
                case .failure(let failure): result.reportFileFailure = failure
                case nil: break
                }
                sink.deliver(result)
            }
        }
        func dispatch(_ job: Job) {
            sink.waitForRoom(rank: job.rank)
            queue.put(job)
        }

        // Sorted: windows of ranks, so an archive's cases come out in key order with bounded buffers.
        let step = options.sorted ? window : max(1, selected.count)
        var start = 0
        var mostCasesHeld = 0
        while start < selected.count {
            let end = min(selected.count, start + step)
            var byArchive: [Int: [(rank: Int, index: Int)]] = [:]
            for rank in start..<end {
                let planned = plan.cases[selected[rank]]
                let extra = planned.diagnostics.map(InputSource.unreadable)
                switch planned.contents {
                case .files(let files):
                    dispatch(Job(rank: rank, key: planned.key, sources: files.map(InputSource.path) + extra))
                case .unreadable(let diagnostic):
                    dispatch(Job(rank: rank, key: planned.key, sources: [.unreadable(diagnostic)] + extra))
                case .members(let archive, _):
                    byArchive[archive, default: []].append((rank, selected[rank]))
                }
            }
            for archive in byArchive.keys.sorted() {
                let streamer = ArchiveStreamer(listing: plan.archives[archive], limit: options.caseByteLimit)
                let cases = (byArchive[archive] ?? []).map { item in (rank: item.rank, case: plan.cases[item.index]) }
                for pass in ArchivePasses.split(cases, limit: options.openCaseLimit) {
                    let held = streamer.stream(cases: pass) { rank, key, sources in
                        dispatch(Job(rank: rank, key: key, sources: sources))
                    }
                    mostCasesHeld = max(mostCasesHeld, held)
                }
            }
            start = end
        }
        queue.close()
        workers.join()
        var summary = sink.summary
        summary.mostCasesHeld = mostCasesHeld
        return summary
    }
}
