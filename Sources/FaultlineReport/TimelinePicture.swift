public import FaultlineCore

/// The HTML report's timeline as inline SVG: a lane per input, build steps
/// as spans, log errors and findings as marks, DNS transactions (grouped per
/// name and second when there are many, then binned per pixel column),
/// thread-dump snapshots, estimated clock offsets with the range the
/// evidence allows, and each mark's original text in its `<title>`.
///
/// Marks of evidence carry the classes `h1`, `h2`… of the hypotheses they
/// support, for the page's CSS to highlight. The element count is bounded
/// whatever the number of events.
public struct TimelinePicture: Sendable {
    public var width = 1160.0
    public var labelWidth = 200.0
    public var laneHeight = 64.0
    /// Above this many marks in a lane, DNS events are grouped per name and second.
    public var groupAbove = 300
    /// Above this many marks after grouping, a lane is drawn as a histogram by pixel column.
    public var maxMarksPerLane = 1200
    /// Lanes drawn at most.
    public var maxLanes = 40

    public init() {}

    /// How a lane's events get their x position.
    enum Placement {
        /// On the shared (reference) clock, after the input's estimated offset.
        case clock(offset: Double)
        /// No clock: placed around a time shown by another input, ordered by line.
        case placed(at: Double)
        /// No shared time at all: ordered by line or frame across the width.
        case order
    }

    /// One thing drawn in a lane before grouping.
    struct Mark {
        var x: Double
        var event: Event
        var owners: [Int]
    }

    /// The SVG element and the number of events it drew (individually or grouped).
    public func render(_ report: Report, evidenceOwners: [String: [Int]]) -> String {
        let lanes = report.inputs.indices.filter { report.inputs[$0].events > 0 && !report.inputs[$0].failed }
        let shown = Array(lanes.prefix(maxLanes))
        var byInput: [Int: [Event]] = [:]
        for event in report.timeline where shown.contains(event.location.input) {
            byInput[event.location.input, default: []].append(event)
        }
        var offsets: [Int: Double] = [:]
        var placedAt: [Int: Double] = [:]
        for alignment in report.alignment {
            if let offset = alignment.offsetSeconds, offset.isFinite { offsets[alignment.input] = offset }
            if let placed = alignment.placedAt, placed.isFinite { placedAt[alignment.input] = placed }
        }
        // The shared axis: every absolute time, after offsets, and every placement.
        var low = Double.infinity, high = -Double.infinity
        for (input, events) in byInput {
            for event in events {
                guard let t = Self.absolute(event) else { continue }
                let offset = offsets[input] ?? 0
                low = min(low, t - offset)
                high = max(high, t - offset)
            }
        }
        for (_, placed) in placedAt { low = min(low, placed); high = max(high, placed) }
        let hasClock = low <= high
        if hasClock {
            let pad = max((high - low) * 0.04, 0.5)
            low -= pad
            high += pad
        }
        let plotLeft = labelWidth, plotRight = width - 12
        let plotWidth = plotRight - plotLeft
        func x(_ t: Double) -> Double { plotLeft + (t - low) / (high - low) * plotWidth }

        let top = 28.0
        let height = top + Double(max(1, shown.count)) * laneHeight + 30
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline-svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"Timeline of \(shown.count) inputs\">\n"
        svg += axis(hasClock: hasClock, low: low, high: high, left: plotLeft, width: plotWidth, top: top, bottom: height - 30)

        for (row, input) in shown.enumerated() {
            let y0 = top + Double(row) * laneHeight
            let events = byInput[input] ?? []
            let summary = report.inputs[input]
            let placement: Placement
            if hasClock, events.contains(where: { Self.absolute($0) != nil }) {
                placement = .clock(offset: offsets[input] ?? 0)
            } else if hasClock, let placed = placedAt[input] {
                placement = .placed(at: placed)
            } else {
                placement = .order
            }
            svg += "<g class=\"lane\" data-input=\"\(HTMLEscaping.escape(summary.path))\" data-format=\"\(HTMLEscaping.escape(summary.format))\">\n"
            svg += "<rect class=\"lane-bg\" x=\"0\" y=\"\(n(y0))\" width=\"\(n(width))\" height=\"\(n(laneHeight))\"/>\n"
            let name = summary.path.split(separator: "/").last.map(String.init) ?? summary.path
            svg += "<text class=\"lane-label\" x=\"8\" y=\"\(n(y0 + 22))\"><title>\(HTMLEscaping.escape(summary.path))</title>\(HTMLEscaping.escape(InertText.clipped(name, to: 26)))</text>\n"
            var note = "\(summary.format), \(events.count) events"
            switch placement {
            case .clock(let offset):
                if let bounds = report.alignment.first(where: { $0.input == input })?.bounds {
                    note += ", offset \(n2(offset)) s (\(n2(bounds.lowerBound))…\(n2(bounds.upperBound)))"
                } else if offset != 0 {
                    note += ", clock offset \(n2(offset)) s"
                }
            case .placed: note += ", no clock: placed"
            case .order: note += hasClock ? ", no clock: by line" : ", by line"
            }
            svg += "<text class=\"lane-note\" x=\"8\" y=\"\(n(y0 + 40))\">\(HTMLEscaping.escape(note))</text>\n"

            // Positions: by time on the shared clock, else by line (or frame) within the lane's band.
            let ordinals = events.enumerated().map { Double($0.element.location.line ?? $0.element.location.frame ?? $0.offset) }
            let minOrd = ordinals.min() ?? 0, maxOrd = ordinals.max() ?? 1
            func byOrder(_ ord: Double, from a: Double, to b: Double) -> Double {
                maxOrd > minOrd ? a + (ord - minOrd) / (maxOrd - minOrd) * (b - a) : (a + b) / 2
            }
            var xs: [Double] = []
            var lastX: Double?
            for (index, event) in events.enumerated() {
                var position: Double
                switch placement {
                case .clock(let offset):
                    if let t = Self.absolute(event) { position = x(t - offset) } else { position = lastX ?? plotLeft }
                case .placed(let at):
                    let band = plotWidth * 0.05
                    position = byOrder(ordinals[index], from: x(at) - band, to: x(at) + band)
                case .order:
                    position = byOrder(ordinals[index], from: plotLeft + 4, to: plotRight - 4)
                }
                position = min(max(position, plotLeft), plotRight)
                lastX = position
                xs.append(position)
            }
            svg += steps(events, xs: xs, y: y0 + 6)
            var marks: [Mark] = []
            for (index, event) in events.enumerated() where event.kind != .stepStart {
                let key = Self.key(summary.path, line: event.location.line, frame: event.location.frame)
                marks.append(Mark(x: xs[index], event: event, owners: evidenceOwners[key] ?? []))
            }
            svg += draw(marks, y: y0 + 44, left: plotLeft, right: plotRight, hasClock: hasClock, placement: placement)
            svg += clockNote(input: input, report: report, events: events, xs: xs, y: y0 + laneHeight - 6, x: x, hasClock: hasClock)
            svg += "</g>\n"
        }
        if lanes.count > shown.count {
            svg += "<text class=\"lane-note\" x=\"8\" y=\"\(n(height - 8))\">\(lanes.count - shown.count) more inputs not drawn</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// The evidence key of a place: path and line or frame.
    public static func key(_ path: String, line: Int?, frame: Int?) -> String {
        if let line { return path + "#L\(line)" }
        if let frame { return path + "#F\(frame)" }
        return path
    }

    static func absolute(_ event: Event) -> Double? {
        guard event.time.clock == .absolute || event.time.clock == .arrival, let t = event.time.seconds, t.isFinite else { return nil }
        return t
    }

    private func axis(hasClock: Bool, low: Double, high: Double, left: Double, width: Double, top: Double, bottom: Double) -> String {
        var out = "<g class=\"axis\">\n"
        guard hasClock else {
            out += "<text x=\"\(n(left))\" y=\"16\">no shared clock: events by line order</text>\n</g>\n"
            return out
        }
        for i in 0...5 {
            let t = low + (high - low) * Double(i) / 5
            let px = left + width * Double(i) / 5
            let label = String(Timestamp.formatRFC3339(t).dropFirst(11).dropLast(2))
            out += "<line x1=\"\(n(px))\" y1=\"\(n(top - 4))\" x2=\"\(n(px))\" y2=\"\(n(bottom))\"/>"
            out += "<text x=\"\(n(px))\" y=\"16\" text-anchor=\"\(i == 0 ? "start" : i == 5 ? "end" : "middle")\">\(label)</text>\n"
        }
        out += "<text x=\"8\" y=\"16\">UTC, reference clock</text>\n</g>\n"
        return out
    }

    /// Build steps as spans from their first to their last event; failed ones in red.
    private func steps(_ events: [Event], xs: [Double], y: Double) -> String {
        var order: [String] = []
        var spans: [String: (from: Double, to: Double, name: String, failed: Bool)] = [:]
        for (index, event) in events.enumerated() {
            guard let step = event.step else { continue }
            let failed = event.kind == .stepFailed
            if var span = spans[step.key] {
                span.from = min(span.from, xs[index])
                span.to = max(span.to, xs[index])
                span.failed = span.failed || failed
                spans[step.key] = span
            } else {
                order.append(step.key)
                spans[step.key] = (xs[index], xs[index], step.name ?? step.key, failed)
            }
        }
        var out = ""
        for key in order.prefix(400) {
            guard let span = spans[key] else { continue }
            let w = max(6, span.to - span.from)
            out += "<g class=\"m step\(span.failed ? " failed" : "")\"><title>\(HTMLEscaping.escape(InertText.clipped("step " + span.name + (span.failed ? " (failed)" : ""), to: 400)))</title>"
            out += "<rect x=\"\(n(span.from))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"12\" rx=\"3\"/></g>\n"
        }
        return out
    }

    /// Marks, grouped per DNS name and second when many, then binned per pixel column when still too many.
    private func draw(_ marks: [Mark], y: Double, left: Double, right: Double, hasClock: Bool, placement: Placement) -> String {
        var individual = marks.filter { !$0.owners.isEmpty }
        var rest = marks.filter { $0.owners.isEmpty }
        var groups: [(x: Double, events: [Event])] = []
        if marks.count > groupAbove {
            var index: [String: Int] = [:]
            var kept: [Mark] = []
            for mark in rest {
                guard mark.event.kind.rawValue.hasPrefix("dns.") else { kept.append(mark); continue }
                var second = Int(mark.x)
                if case .clock(let offset) = placement, let t = Self.absolute(mark.event), abs(t - offset) < 1e15 { second = Int((t - offset).rounded(.down)) }
                let key = "\(mark.event.subjects["host"] ?? "")|\(second)"
                if let i = index[key] {
                    groups[i].events.append(mark.event)
                } else {
                    index[key] = groups.count
                    groups.append((mark.x, [mark.event]))
                }
            }
            rest = kept
        }
        var out = ""
        if rest.count + groups.count > maxMarksPerLane {
            // A histogram: one bar per two pixels, its height the share of the busiest column.
            let columns = max(1, Int((right - left) / 2))
            var counts = [Int](repeating: 0, count: columns)
            var errors = [Int](repeating: 0, count: columns)
            func column(_ x: Double) -> Int { min(columns - 1, max(0, Int((x - left) / 2))) }
            for mark in rest {
                counts[column(mark.x)] += 1
                if mark.event.severity >= .error { errors[column(mark.x)] += 1 }
            }
            for group in groups {
                counts[column(group.x)] += group.events.count
                errors[column(group.x)] += group.events.filter { $0.severity >= .error || $0.subjects["rcode"] == "none" }.count
            }
            let peak = Double(counts.max() ?? 1)
            for c in 0..<columns where counts[c] > 0 {
                let h = max(2, 22 * Double(counts[c]) / peak)
                out += "<g class=\"m bin\(errors[c] > 0 ? " err" : "")\"><title>\(counts[c]) events here, \(errors[c]) errors or unanswered</title>"
                out += "<rect x=\"\(n(left + Double(c) * 2))\" y=\"\(n(y + 8 - h))\" width=\"2\" height=\"\(n(h))\"/></g>\n"
            }
        } else {
            for group in groups {
                if group.events.count == 1, let event = group.events.first {
                    individual.append(Mark(x: group.x, event: event, owners: []))
                    continue
                }
                var rcodes: [String: Int] = [:]
                for event in group.events { rcodes[event.subjects["rcode"] ?? event.kind.rawValue, default: 0] += 1 }
                let tally = rcodes.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
                let host = group.events.first?.subjects["host"] ?? "DNS"
                var when = ""
                if let t = group.events.first.flatMap(Self.absolute) { when = " at " + String(Timestamp.formatRFC3339(t).dropFirst(11).dropLast(5)) }
                let failed = (rcodes["none"] ?? 0) > 0 || rcodes.keys.contains { ["NXDOMAIN", "SERVFAIL", "REFUSED"].contains($0) }
                let r = min(9, 3 + Double(group.events.count).squareRoot() / 2)
                out += "<g class=\"m dns group\(failed ? " err" : "")\"><title>\(HTMLEscaping.escape(InertText.clipped("\(host) ×\(group.events.count)\(when): \(tally)", to: 400)))</title>"
                out += "<circle cx=\"\(n(group.x))\" cy=\"\(n(y))\" r=\"\(n(r))\"/></g>\n"
            }
            individual += rest
        }
        // Snapshots (thread dumps) on a row of their own above the other marks, joined where threads did not move.
        out += stillThreads(marks, y: y - 17)
        for mark in individual.prefix(maxMarksPerLane + 200) { out += shape(mark, y: mark.event.kind.rawValue == "jvm.dump" ? y - 17 : y) }
        return out
    }

    /// Between two thread dumps of a lane, a band when busy threads did not move from one to the next
    /// (the dump event's `unmoved` subject), labelled with their number: what a stuck service looks like.
    private func stillThreads(_ marks: [Mark], y: Double) -> String {
        let dumps = marks.filter { $0.event.kind.rawValue == "jvm.dump" }.sorted { $0.x < $1.x }
        var out = ""
        for (previous, next) in zip(dumps, dumps.dropFirst()) {
            guard let unmoved = next.event.subjects["unmoved"].flatMap({ Int($0) }), unmoved > 0 else { continue }
            let from = previous.event.subjects["dump"] ?? "?", to = next.event.subjects["dump"] ?? "?"
            let title = "\(unmoved) busy thread\(unmoved == 1 ? "" : "s") did not move between dump \(from) and dump \(to)"
            out += "<g class=\"m still\"><title>\(HTMLEscaping.escape(title))</title>"
            out += "<line x1=\"\(n(previous.x))\" y1=\"\(n(y))\" x2=\"\(n(next.x))\" y2=\"\(n(y))\"/>"
            out += "<text x=\"\(n((previous.x + next.x) / 2))\" y=\"\(n(y - 8))\" text-anchor=\"middle\">\(unmoved) still</text></g>\n"
        }
        return out
    }

    private func shape(_ mark: Mark, y: Double) -> String {
        let event = mark.event
        var classes = ["m"]
        let kind = event.kind.rawValue
        if kind.hasPrefix("dns.") { classes.append("dns") }
        if kind == "jvm.dump" { classes.append("dump") }
        if event.severity >= .error || event.subjects["rcode"] == "none" || ["NXDOMAIN", "SERVFAIL", "REFUSED"].contains(event.subjects["rcode"] ?? "") {
            classes.append("err")
        } else if event.severity == .warning {
            classes.append("warn")
        }
        classes += mark.owners.prefix(50).map { "h\($0)" }
        var place = ""
        if let line = event.location.line { place = "line \(line): " } else if let frame = event.location.frame { place = "frame \(frame): " }
        var when = ""
        if let t = Self.absolute(event) { when = Timestamp.formatRFC3339(t) + " " }
        let label = when + place + "[" + (event.cause ?? kind) + "] " + event.text
        var out = "<g class=\"\(classes.joined(separator: " "))\" tabindex=\"0\"><title>\(HTMLEscaping.escape(InertText.clipped(label, to: 2000)))</title>"
        if kind.hasPrefix("dns.") && kind != "dns.finding" {
            out += "<circle cx=\"\(n(mark.x))\" cy=\"\(n(y))\" r=\"5\"/>"
        } else if kind == "jvm.dump" {
            out += "<path d=\"M\(n(mark.x)) \(n(y - 6))l6 6l-6 6l-6 -6z\"/>"
        } else {
            out += "<rect x=\"\(n(mark.x - 3))\" y=\"\(n(y - 10))\" width=\"6\" height=\"20\"/>"
        }
        return out + "</g>\n"
    }

    /// The estimated clock offset of this input, with the range the evidence allows, or where it was placed.
    private func clockNote(input: Int, report: Report, events: [Event], xs: [Double], y: Double,
                           x: (Double) -> Double, hasClock: Bool) -> String {
        guard hasClock, let alignment = report.alignment.first(where: { $0.input == input }) else { return "" }
        let reference = report.inputs.indices.contains(alignment.reference) ? report.inputs[alignment.reference].path : "?"
        let basis = HTMLEscaping.escape(InertText.clipped(alignment.basis, to: 400))
        if let offset = alignment.offsetSeconds, let bounds = alignment.bounds, offset.isFinite, bounds.lowerBound.isFinite, bounds.upperBound.isFinite {
            // The anchor: the lane's first error or finding with a time, else its first timed event.
            let anchor = events.indices.first { Self.absolute(events[$0]) != nil && events[$0].severity >= .error }
                ?? events.indices.first { Self.absolute(events[$0]) != nil }
            guard let anchor, let t = Self.absolute(events[anchor]) else { return "" }
            let from = x(t - bounds.upperBound), to = x(t - bounds.lowerBound)
            let label = "clock offset \(n2(offset)) s vs \(reference) (evidence allows \(n2(bounds.lowerBound))…\(n2(bounds.upperBound)) s)"
            var out = "<g class=\"m offset\"><title>\(HTMLEscaping.escape(label)); \(basis)</title>"
            out += "<line x1=\"\(n(max(from, labelWidth)))\" y1=\"\(n(y))\" x2=\"\(n(min(to, width - 12)))\" y2=\"\(n(y))\"/>"
            out += "<line x1=\"\(n(xs[anchor]))\" y1=\"\(n(y - 4))\" x2=\"\(n(xs[anchor]))\" y2=\"\(n(y + 4))\"/></g>\n"
            return out
        }
        if let placed = alignment.placedAt, placed.isFinite {
            let label = "no clock: placed at \(Timestamp.formatRFC3339(placed)) on \(reference)'s clock"
            var out = "<g class=\"m offset placed\"><title>\(HTMLEscaping.escape(label)); \(basis)</title>"
            out += "<line x1=\"\(n(x(placed)))\" y1=\"\(n(y - laneHeight + 10))\" x2=\"\(n(x(placed)))\" y2=\"\(n(y))\"/></g>\n"
            return out
        }
        return ""
    }

    private func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        return tenths == tenths.rounded(.towardZero) && abs(tenths) < 1e12 ? String(Double(Int(tenths)) / 10) : "0"
    }

    private func n2(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e12 else { return "?" }
        let hundredths = Int((abs(value) * 100).rounded())
        let fraction = hundredths % 100
        return (value < 0 ? "-" : "+") + "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
