public import FaultlineCore

/// Renders a report as the `faultline.report/1` JSON of SPEC section 2.
public struct JSONReportRenderer: ReportRendering {
    public var pretty: Bool
    public var includeTimeline: Bool

    public init(pretty: Bool = true, includeTimeline: Bool = false) {
        self.pretty = pretty
        self.includeTimeline = includeTimeline
    }

    public func render(_ report: Report) -> String {
        var w = JSONWriter(pretty: pretty)
        w.beginObject()
        w.field("schema", Report.schema)
        w.field("verdict", report.verdict.rawValue)
        w.field("pipeline", report.pipeline)
        if let provenance = report.provenance {
            w.key("faultline")
            w.beginObject()
            w.field("version", provenance.version)
            w.field("commit", provenance.commit)
            w.field("rules", provenance.rules)
            w.endObject()
        }
        w.key("inputs")
        w.beginArray()
        for input in report.inputs {
            w.beginObject()
            w.field("path", input.path)
            w.field("format", input.format)
            if !input.contains.isEmpty { w.field("contains", strings: input.contains) }
            w.field("events", input.events)
            w.field("clock", input.clock.rawValue)
            w.field("bytes", input.bytes)
            if let lines = input.lines { w.field("lines", lines) }
            if let frames = input.frames { w.field("frames", frames) }
            if input.failed { w.key("failed"); w.bool(true) }
            w.endObject()
        }
        w.endArray()
        w.key("alignment")
        w.beginArray()
        for alignment in report.alignment { Self.write(alignment, inputs: report.inputs, to: &w) }
        w.endArray()
        w.key("hypotheses")
        w.beginArray()
        for hypothesis in report.hypotheses { Self.write(hypothesis, inputs: report.inputs, to: &w) }
        w.endArray()
        if let aside = report.alsoSeen {
            w.key("also_seen")
            w.beginObject()
            w.field("reason", aside.reason.rawValue)
            w.field("text", aside.text)
            w.key("findings")
            w.beginArray()
            for finding in aside.findings { Self.write(finding, inputs: report.inputs, to: &w) }
            w.endArray()
            w.endObject()
        }
        w.key("diagnostics")
        w.beginArray()
        for diagnostic in report.diagnostics {
            w.beginObject()
            w.field("input", diagnostic.input)
            if let line = diagnostic.line { w.field("line", line) }
            if let frame = diagnostic.frame { w.field("frame", frame) }
            if let offset = diagnostic.byteOffset { w.field("byte_offset", offset) }
            w.field("severity", diagnostic.severity.name)
            w.field("code", diagnostic.code)
            w.field("message", diagnostic.message)
            w.endObject()
        }
        w.endArray()
        if includeTimeline {
            w.key("timeline")
            w.beginArray()
            for event in report.timeline { Self.write(event, inputs: report.inputs, to: &w) }
            w.endArray()
        }
        w.endObject()
        return w.output + "\n"
    }

    static func write(_ alignment: ClockAlignment, inputs: [InputSummary], to w: inout JSONWriter) {
        func path(_ index: Int) -> String { inputs.indices.contains(index) ? inputs[index].path : "" }
        w.beginObject()
        w.field("input", path(alignment.input))
        w.field("reference", path(alignment.reference))
        w.field("method", alignment.method.rawValue)
        if let offset = alignment.offsetSeconds {
            w.key("offset_seconds")
            w.number(offset, decimals: 3)
        }
        if let bounds = alignment.bounds {
            w.key("bounds_seconds")
            w.beginArray()
            w.number(bounds.lowerBound, decimals: 3)
            w.number(bounds.upperBound, decimals: 3)
            w.endArray()
        }
        if let placed = alignment.placedAt { w.field("placed_at", Timestamp.formatRFC3339(placed)) }
        w.field("basis", alignment.basis)
        w.field("pairs", alignment.pairs)
        w.endObject()
    }

    static func write(_ evidence: Evidence, to w: inout JSONWriter) {
        w.beginObject()
        w.field("input", evidence.input)
        if let line = evidence.line { w.field("line", line) }
        if let frame = evidence.frame { w.field("frame", frame) }
        writeTime(evidence.time, to: &w)
        w.field("text", evidence.text)
        if let role = evidence.role { w.field("role", role) }
        w.endObject()
    }

    static func write(_ hypothesis: Hypothesis, inputs: [InputSummary], to w: inout JSONWriter) {
        w.beginObject()
        w.field("cause", hypothesis.cause)
        w.field("layer", hypothesis.layer.rawValue)
        w.key("confidence")
        w.number(hypothesis.confidence, decimals: 2)
        w.field("title", hypothesis.title)
        w.key("subjects")
        writeSubjects(hypothesis.subjects, to: &w)
        w.key("evidence")
        w.beginArray()
        for evidence in hypothesis.evidence { write(evidence, to: &w) }
        w.endArray()
        if !hypothesis.against.isEmpty {
            w.key("against")
            w.beginArray()
            for evidence in hypothesis.against { write(evidence, to: &w) }
            w.endArray()
        }
        w.field("sources", strings: hypothesis.sources.map { inputs.indices.contains($0) ? inputs[$0].path : "" })
        w.field("explains", strings: hypothesis.explains)
        w.field("remediation", strings: hypothesis.remediation)
        w.field("verify", strings: hypothesis.verify)
        w.endObject()
    }

    static func writeSubjects(_ subjects: Subjects, to w: inout JSONWriter) {
        w.beginObject()
        for key in subjects.sortedKeys { w.field(key, subjects[key]) }
        w.endObject()
    }

    static func writeTime(_ time: EventTime, to w: inout JSONWriter) {
        switch (time.clock, time.seconds) {
        case (.absolute, let seconds?), (.arrival, let seconds?):
            w.field("time", Timestamp.formatRFC3339(seconds))
            if time.clock == .arrival { w.field("clock", "arrival") }
        case (.relative, let seconds?):
            w.key("time")
            w.number(seconds, decimals: 3)
            w.field("clock", "relative")
            if let origin = time.origin { w.field("origin", origin) }
        default:
            w.key("time")
            w.null()
        }
    }

    static func write(_ event: Event, inputs: [InputSummary], to w: inout JSONWriter) {
        w.beginObject()
        w.field("input", inputs.indices.contains(event.location.input) ? inputs[event.location.input].path : "")
        if let line = event.location.line { w.field("line", line) }
        if let frame = event.location.frame { w.field("frame", frame) }
        writeTime(event.time, to: &w)
        w.field("kind", event.kind.rawValue)
        w.field("severity", event.severity.name)
        if let cause = event.cause { w.field("cause", cause) }
        if let layer = event.layer { w.field("layer", layer.rawValue) }
        if let step = event.step { w.field("step", step.name ?? step.key) }
        if !event.subjects.isEmpty { w.key("subjects"); writeSubjects(event.subjects, to: &w) }
        w.field("text", event.text)
        w.endObject()
    }
}
