import TollgateStore

/// A metric over time, per version: the champion's value as a step line (it holds until the next
/// run measures it again), each candidate as a point at its run's time, never joined to another
/// (two candidates of one run are rivals, not a trend), and the threshold dashed. Long histories
/// are drawn as `TrendSummary` bands. Axis ticks are thinned until their labels, at their widest
/// (`TextWidth`), cannot touch.
struct TrendChart {
    var metric: String
    var summary: TrendSummary
    var threshold: Double?
    /// 640 for the page; 340 for a phone, where the same chart scaled down would print its
    /// 11 px labels at 6 px. The page carries both and the stylesheet shows one.
    var width = 640.0

    static let height = 260.0, left = 60.0, right = 24.0, top = 46.0, bottom = 46.0
    static let phoneWidth = 340.0

    var svg: String {
        let values =
            summary.points.map(\.value) + summary.bands.flatMap { [$0.min, $0.max] } + summary.champion.map(\.value)
            + [threshold].compactMap { $0 }.filter(\.isFinite)
        let times = summary.points.map(\.at) + summary.bands.flatMap { [$0.start, $0.start + $0.weeks * 7 * 86_400_000 - 1] } + summary.champion.map(\.at)
        guard let low = values.min(), let high = values.max(), let t0 = times.min(), let t1 = times.max() else { return "" }
        let w = width
        let h = Self.height
        let left = Self.left
        let right = Self.right
        let top = Self.top
        let bottom = Self.bottom
        let pad = high > low ? (high - low) * 0.08 : max(abs(high), 1) * 0.05
        let yTicks = ValueTicks.ticks(low: low - pad, high: high + pad)
        let y0 = min(low - pad, yTicks.values.first ?? low)
        let y1 = max(high + pad, yTicks.values.last ?? high)
        func x(_ t: Int64) -> Double { t1 > t0 ? left + Double(t - t0) / Double(t1 - t0) * (w - left - right) : (left + w - right) / 2 }
        func y(_ v: Double) -> Double { top + (1 - (v - y0) / (y1 - y0)) * (h - top - bottom) }
        let f = SVGChart.f
        let number = SVGChart.number
        var svg = SVGChart.open(
            title: "\(metric) over time: the champion's value as a step line, candidates as points, the threshold dashed", width: w, height: h)
        svg += "<line class=\"axis-line\" x1=\"\(f(left))\" y1=\"\(f(h - bottom))\" x2=\"\(f(w - right))\" y2=\"\(f(h - bottom))\"/>"
        svg += "<line class=\"axis-line\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(h - bottom))\"/>"
        for (v, label) in zip(yTicks.values, yTicks.labels) {
            svg += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(w - right))\" y2=\"\(f(y(v)))\"/>"
            svg += SVGChart.text(x: left - 6, y: y(v) + 4, anchor: "end", label, className: "axis tick")
        }
        for tick in TimeTicks.ticks(from: t0, to: t1, width: w, position: x) {
            svg +=
                "<line class=\"axis-line\" x1=\"\(f(x(tick.milliseconds)))\" y1=\"\(f(h - bottom))\" x2=\"\(f(x(tick.milliseconds)))\" y2=\"\(f(h - bottom + 4))\"/>"
            svg += SVGChart.text(x: x(tick.milliseconds), y: h - bottom + 17, anchor: "middle", tick.label, className: "axis tick")
        }
        svg += SVGChart.text(x: (left + w - right) / 2, y: h - 8, anchor: "middle", "run time (UTC)", className: "axis")
        svg +=
            "<text class=\"axis\" transform=\"translate(14 \(f((top + h - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(SafeText.html(metric))</text>"
        if let threshold, threshold.isFinite {
            svg +=
                "<line class=\"threshold\" x1=\"\(f(left))\" y1=\"\(f(y(threshold)))\" x2=\"\(f(w - right))\" y2=\"\(f(y(threshold)))\"><title>threshold \(number(threshold))</title></line>"
        }
        if let first = summary.champion.first {
            var d = "M\(f(x(first.at))) \(f(y(first.value)))"
            for p in summary.champion.dropFirst() { d += "H\(f(x(p.at)))V\(f(y(p.value)))" }
            // The value holds until the chart's last time; a champion seen at one time only is a dash.
            d += x(summary.champion.last!.at) < x(t1) ? "H\(f(x(t1)))" : (summary.champion.count == 1 ? "h-8h16" : "")
            let last = summary.champion.last!
            svg +=
                "<path class=\"series step\" d=\"\(d)\"><title>champion \(SafeText.html(last.version)): \(number(last.value)) at the latest run</title></path>"
        }
        for p in summary.points {
            svg +=
                "<circle class=\"point\" cx=\"\(f(x(p.at)))\" cy=\"\(f(y(p.value)))\" r=\"3\"><title>\(SafeText.html(p.version)) \(Instant(milliseconds: p.at).rfc3339.prefix(16)): \(number(p.value))</title></circle>"
        }
        for b in summary.bands {
            let bx = f(x(b.at))
            if b.max > b.min { svg += "<line class=\"band\" x1=\"\(bx)\" y1=\"\(f(y(b.min)))\" x2=\"\(bx)\" y2=\"\(f(y(b.max)))\"/>" }
            svg += "<circle class=\"point\" cx=\"\(bx)\" cy=\"\(f(y(b.median)))\" r=\"2.5\"><title>\(Self.bandTitle(b))</title></circle>"
        }
        // The legend, left to right, each entry placed after the widest the previous could be,
        // wrapping to a second row rather than running off the chart.
        var lx = left
        var ly = 16.0
        // The champion is named only when the history has its value (older runs may not).
        let entries: [(mark: String, text: String)] =
            (summary.champion.isEmpty
                ? []
                : [
                    ("<line class=\"series step key\" x1=\"X\" y1=\"Y\" x2=\"X2\" y2=\"Y\"/>", "champion")
                ]) + [
                (
                    "<circle class=\"point key\" cx=\"XC\" cy=\"Y\" r=\"3\"/>",
                    !summary.summarised
                        ? "candidates"
                        : width < 500
                            ? "median, range" : "candidates: median, min–max per \(summary.weeksPerBand == 1 ? "week" : "\(summary.weeksPerBand) weeks")"
                )
            ] + (threshold.map { [("<line class=\"threshold key\" x1=\"X\" y1=\"Y\" x2=\"X2\" y2=\"Y\"/>", "threshold \(number($0))")] } ?? [])
        for e in entries {
            let width = 22 + TextWidth.upperBound(e.text)
            if lx > left, lx + width > w - right {
                lx = left
                ly += 16
            }
            svg += e.mark.replacingOccurrences(of: "X2", with: f(lx + 18)).replacingOccurrences(of: "XC", with: f(lx + 9))
                .replacingOccurrences(of: "X\"", with: f(lx) + "\"").replacingOccurrences(of: "Y\"", with: f(ly - 4) + "\"")
            svg += SVGChart.text(x: lx + 22, y: ly, anchor: "start", e.text, className: "label")
            lx += width + 14
        }
        return svg + "</svg>"
    }

    /// What a band says in words (the page's reader and the tests read the same text).
    static func bandTitle(_ b: TrendSummary.Band) -> String {
        let span = b.weeks == 1 ? "week" : "\(b.weeks) weeks"
        return
            "\(span) of \(Instant(milliseconds: b.start).rfc3339.prefix(10)): \(b.count) candidate values, min \(SVGChart.number(b.min)), median \(SVGChart.number(b.median)), max \(SVGChart.number(b.max))"
    }
}
