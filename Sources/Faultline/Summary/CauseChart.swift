import FaultlineReport

/// Causes over time as an inline SVG: one stacked bar per day (or week) of
/// `CauseSummary.days`, a colour per cause (the most frequent causes each
/// their own, the rest as "other"), a `<title>` on every segment naming the
/// period, the cause and its count, so hovering reads the numbers. No script.
public struct CauseChart: Sendable {
    /// Causes drawn in a colour of their own; the rest are "other".
    public var namedCauses = 9
    public var width = 920.0
    public var height = 260.0

    public init() {}

    /// Colours of the named causes, in rank order, then "other".
    static let palette = ["#cf222e", "#0969da", "#8250df", "#bf8700", "#1a7f37", "#e16f24", "#54aeff", "#bf3989", "#953800"]
    static let otherColour = "#afb8c1"

    /// The causes drawn in their own colour, in rank order, with their colours; "other" last when some are left.
    public func legend(_ summary: CauseSummary) -> [(cause: String, colour: String)] {
        let named = summary.causes.prefix(min(namedCauses, Self.palette.count)).enumerated().map {
            (cause: $0.element.name, colour: Self.palette[$0.offset])
        }
        return summary.causes.count > named.count ? named + [(cause: "other", colour: Self.otherColour)] : named
    }

    public func render(_ summary: CauseSummary) -> String {
        let h = HTMLEscaping.escape
        let days = summary.days
        let left = 44.0, right = 12.0, top = 14.0, bottom = 46.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let most = max(1, days.map(\.cases).max() ?? 0)
        let colours = Dictionary(legend(summary).map { ($0.cause, $0.colour) }, uniquingKeysWith: { first, _ in first })
        let slot = plotWidth / Double(max(1, days.count))
        let barWidth = max(1, min(36, slot * 0.8))
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
        out += "width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"cases by cause over time\">\n"
        // Horizontal grid: 0, half, the most.
        out += "<g class=\"axis\">"
        for value in Set([0, most / 2, most]).sorted() {
            let y = top + plotHeight - Double(value) / Double(most) * plotHeight
            out += "<line x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y))\" y2=\"\(n(y))\"/>"
            out += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\">\(value)</text>"
        }
        // At most about twelve period labels, always the first and the last.
        let every = max(1, Int((Double(days.count) / 12).rounded(.up)))
        for (index, day) in days.enumerated() where index % every == 0 || index == days.count - 1 {
            let x = left + slot * (Double(index) + 0.5)
            out += "<text x=\"\(n(x))\" y=\"\(n(height - bottom + 16))\" text-anchor=\"middle\">\(h(day.day))</text>"
        }
        out += "</g>\n"
        for (index, day) in days.enumerated() {
            let x = left + slot * (Double(index) + 0.5) - barWidth / 2
            var base = top + plotHeight
            // Named causes in legend order from the bottom, "other" on top.
            var segments: [(cause: String, count: Int)] = []
            var other = 0
            for entry in legend(summary) where entry.cause != "other" {
                if let count = day.causes.first(where: { $0.name == entry.cause })?.count { segments.append((entry.cause, count)) }
            }
            for count in day.causes where colours[count.name] == nil { other += count.count }
            if other > 0 { segments.append(("other", other)) }
            out += "<g class=\"bar\">"
            for segment in segments {
                let size = Double(segment.count) / Double(most) * plotHeight
                base -= size
                out += "<rect x=\"\(n(x))\" y=\"\(n(base))\" width=\"\(n(barWidth))\" height=\"\(n(max(size, 0.5)))\" "
                out += "fill=\"\(colours[segment.cause] ?? Self.otherColour)\">"
                out += "<title>\(h(day.day)): \(h(segment.cause)) \(segment.count) of \(day.cases)</title></rect>"
            }
            out += "</g>\n"
        }
        out += "</svg>\n"
        return out
    }

    private func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
