import Foundation
import TollgateCore

/// Inline SVG charts Tollgate draws itself: no script, no external font, styled by the site's
/// stylesheet (`.chart …` classes), so they follow light and dark and print in black and white.
/// Every mark carries its value as text; colour is never the only signal.
enum SVGChart {
    struct Bar {
        var label: String
        var value: Double
        /// Shown beside the value (`fail`, `drifted`), so the state reads without colour.
        var note: String = ""
        var highlighted = false
    }

    /// Horizontal bars, one per row, with an optional dashed threshold line.
    static func bars(title: String, _ bars: [Bar], threshold: Double? = nil, format: (Double) -> String = number) -> String {
        guard !bars.isEmpty else { return "" }
        let rowHeight = 22.0
        let labelWidth = 190.0
        let plotWidth = 300.0
        let valueWidth = 150.0
        let finite = bars.map(\.value).filter(\.isFinite) + [threshold].compactMap { $0 }
        let maxValue = max(finite.max() ?? 1, 1e-12) * 1.05
        let height = Double(bars.count) * rowHeight + 34
        let width = labelWidth + plotWidth + valueWidth
        var svg = open(title: title, width: width, height: height)
        for (i, bar) in bars.enumerated() {
            let y = 24 + Double(i) * rowHeight
            let w = bar.value.isFinite ? max(0, bar.value) / maxValue * plotWidth : 0
            svg += text(x: labelWidth - 6, y: y + 15, anchor: "end", bar.label, className: "label")
            svg +=
                "<rect class=\"bar\(bar.highlighted ? " bar-alert" : "")\" x=\"\(f(labelWidth))\" y=\"\(f(y + 3))\" width=\"\(f(w))\" height=\"\(f(rowHeight - 6))\"/>"
            let shown = bar.value.isFinite ? format(bar.value) : "n/a"
            svg += text(x: labelWidth + w + 6, y: y + 15, anchor: "start", shown + (bar.note.isEmpty ? "" : " (\(bar.note))"), className: "value")
        }
        if let threshold, threshold.isFinite {
            let x = labelWidth + threshold / maxValue * plotWidth
            svg += "<line class=\"threshold\" x1=\"\(f(x))\" y1=\"20\" x2=\"\(f(x))\" y2=\"\(f(height - 10))\"/>"
            svg += text(x: x, y: 14, anchor: "middle", "threshold \(format(threshold))", className: "axis")
        }
        return svg + "</svg>"
    }

    /// A line over ordered points (versions, runs, weeks), with every value labelled.
    static func line(title: String, xLabel: String, yLabel: String, _ points: [(label: String, value: Double)], format: (Double) -> String = number) -> String {
        let values = points.map(\.value).filter(\.isFinite)
        guard !values.isEmpty else { return "" }
        let width = 640.0
        let height = 260.0
        let left = 60.0
        let right = 20.0
        let top = 30.0
        let bottom = 50.0
        let low = values.min()!
        let high = values.max()!
        let span = high - low > 0 ? high - low : max(abs(high), 1) * 0.1
        let y0 = low - span * 0.1
        let y1 = high + span * 0.1
        let step = points.count > 1 ? (width - left - right) / Double(points.count - 1) : 0
        func x(_ i: Int) -> Double { points.count > 1 ? left + Double(i) * step : left + (width - left - right) / 2 }
        func y(_ v: Double) -> Double { top + (1 - (v - y0) / (y1 - y0)) * (height - top - bottom) }
        var svg = open(title: title, width: width, height: height)
        svg += "<line class=\"axis-line\" x1=\"\(f(left))\" y1=\"\(f(height - bottom))\" x2=\"\(f(width - right))\" y2=\"\(f(height - bottom))\"/>"
        svg += "<line class=\"axis-line\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(height - bottom))\"/>"
        svg += text(x: left - 6, y: y(high) + 4, anchor: "end", format(high), className: "axis")
        svg += text(x: left - 6, y: y(low) + 4, anchor: "end", format(low), className: "axis")
        svg += text(x: (left + width - right) / 2, y: height - 8, anchor: "middle", xLabel, className: "axis")
        svg +=
            "<text class=\"axis\" transform=\"translate(14 \(f((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(SafeText.html(yLabel))</text>"
        let path = points.enumerated().filter { $0.element.value.isFinite }.map { "\(f(x($0.offset))),\(f(y($0.element.value)))" }
        svg += "<polyline class=\"series\" points=\"\(path.joined(separator: " "))\"/>"
        let labelEvery = max(1, points.count / 12)
        for (i, p) in points.enumerated() {
            if p.value.isFinite {
                svg +=
                    "<circle class=\"point\" cx=\"\(f(x(i)))\" cy=\"\(f(y(p.value)))\" r=\"3\"><title>\(SafeText.html(p.label)): \(format(p.value))</title></circle>"
                if points.count <= 12 { svg += text(x: x(i), y: y(p.value) - 7, anchor: "middle", format(p.value), className: "value") }
            }
            if i % labelEvery == 0 { svg += text(x: x(i), y: height - bottom + 16, anchor: "middle", p.label, className: "axis") }
        }
        return svg + "</svg>"
    }

    /// ROC curves in the unit square, the chance diagonal dotted; the champion dashed and the
    /// candidate solid, each named in the legend with its AUC.
    static func roc(title: String, _ series: [(label: String, points: [[Double]], dashed: Bool)]) -> String {
        let drawn = series.filter { !$0.points.isEmpty }
        guard !drawn.isEmpty else { return "" }
        let size = 260.0
        let left = 50.0
        let top = 20.0
        let legend = 200.0
        func x(_ v: Double) -> Double { left + v * size }
        func y(_ v: Double) -> Double { top + (1 - v) * size }
        var svg = open(title: title, width: left + size + legend, height: top + size + 45)
        svg += "<rect class=\"axis-line frame\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(size))\" height=\"\(f(size))\" fill=\"none\"/>"
        svg += "<line class=\"axis-line chance\" x1=\"\(f(x(0)))\" y1=\"\(f(y(0)))\" x2=\"\(f(x(1)))\" y2=\"\(f(y(1)))\"/>"
        for v in [0.0, 0.5, 1.0] {
            svg += text(x: x(v), y: top + size + 14, anchor: "middle", number(v), className: "axis")
            svg += text(x: left - 6, y: y(v) + 4, anchor: "end", number(v), className: "axis")
        }
        svg += text(x: x(0.5), y: top + size + 32, anchor: "middle", "false positive rate", className: "axis")
        svg += "<text class=\"axis\" transform=\"translate(14 \(f(y(0.5)))) rotate(-90)\" text-anchor=\"middle\">true positive rate</text>"
        for (i, s) in drawn.enumerated() {
            let points = s.points.map { "\(f(x($0[0]))),\(f(y($0[1])))" }.joined(separator: " ")
            svg += "<polyline class=\"series\(s.dashed ? " series-dashed" : "")\" points=\"\(points)\"/>"
            let ly = top + 20 + Double(i) * 20
            svg +=
                "<line class=\"series\(s.dashed ? " series-dashed" : "")\" x1=\"\(f(left + size + 14))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + size + 40))\" y2=\"\(f(ly - 4))\"/>"
            svg += text(x: left + size + 46, y: ly, anchor: "start", s.label, className: "label")
        }
        return svg + "</svg>"
    }

    /// A histogram of `[lower, upper, count]` bins with labelled vertical markers (percentiles,
    /// a threshold) drawn across it.
    static func histogram(title: String, xLabel: String, _ bins: [[Double]], markers: [(label: String, value: Double, alert: Bool)]) -> String {
        guard let first = bins.first, let last = bins.last, last[1] > first[0] else { return "" }
        let width = 640.0
        let height = 240.0
        let left = 50.0
        let right = 20.0
        let top = 36.0
        let bottom = 44.0
        let low = first[0]
        let high = max(last[1], markers.map(\.value).max() ?? 0)
        let peak = max(1, bins.map { $0[2] }.max() ?? 1)
        func x(_ v: Double) -> Double { left + (v - low) / (high - low) * (width - left - right) }
        func y(_ c: Double) -> Double { top + (1 - c / peak) * (height - top - bottom) }
        var svg = open(title: title, width: width, height: height)
        for b in bins {
            svg +=
                "<rect class=\"bar\" x=\"\(f(x(b[0])))\" y=\"\(f(y(b[2])))\" width=\"\(f(max(1, x(b[1]) - x(b[0]) - 1)))\" height=\"\(f(y(0) - y(b[2])))\"><title>\(number(b[0]))–\(number(b[1])): \(Int(b[2]))</title></rect>"
        }
        svg += "<line class=\"axis-line\" x1=\"\(f(left))\" y1=\"\(f(y(0)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(0)))\"/>"
        svg += text(x: left, y: height - bottom + 16, anchor: "start", number(low), className: "axis")
        svg += text(x: width - right, y: height - bottom + 16, anchor: "end", number(high), className: "axis")
        svg += text(x: (left + width - right) / 2, y: height - 8, anchor: "middle", xLabel, className: "axis")
        svg += text(x: left - 6, y: top + 4, anchor: "end", String(Int(peak)), className: "axis")
        for (i, m) in markers.enumerated() {
            svg +=
                "<line class=\"\(m.alert ? "threshold" : "marker")\" x1=\"\(f(x(m.value)))\" y1=\"\(f(top - 4))\" x2=\"\(f(x(m.value)))\" y2=\"\(f(y(0)))\"/>"
            svg += text(x: x(m.value), y: top - 8 - Double(i % 2) * 12, anchor: "middle", "\(m.label) \(number(m.value))", className: "value")
        }
        return svg + "</svg>"
    }

    /// A 2×2 confusion matrix: counts in the cells, rows the truth, columns the prediction.
    static func confusion(title: String, _ m: [[Int]]) -> String {
        guard m.count == 2, m.allSatisfy({ $0.count == 2 }) else { return "" }
        let cell = 90.0
        let left = 110.0
        let top = 40.0
        let total = max(1, m.joined().reduce(0, +))
        var svg = open(title: title, width: left + 2 * cell + 20, height: top + 2 * cell + 20)
        svg += text(x: left + cell, y: 14, anchor: "middle", "predicted", className: "axis")
        for (j, name) in ["negative", "positive"].enumerated() {
            svg += text(x: left + (Double(j) + 0.5) * cell, y: top - 8, anchor: "middle", name, className: "axis")
            svg += text(x: left - 8, y: top + (Double(j) + 0.5) * cell + 4, anchor: "end", "true " + name, className: "axis")
        }
        let names = [["true negatives", "false positives"], ["false negatives", "true positives"]]
        for i in 0..<2 {
            for j in 0..<2 {
                let share = Double(m[i][j]) / Double(total)
                svg +=
                    "<rect class=\"cell\(i == j ? " cell-right" : " cell-wrong")\" x=\"\(f(left + Double(j) * cell))\" y=\"\(f(top + Double(i) * cell))\" width=\"\(f(cell))\" height=\"\(f(cell))\"><title>\(names[i][j])</title></rect>"
                svg += text(
                    x: left + (Double(j) + 0.5) * cell, y: top + (Double(i) + 0.5) * cell, anchor: "middle", String(m[i][j]), className: "value cell-count")
                svg += text(
                    x: left + (Double(j) + 0.5) * cell, y: top + (Double(i) + 0.5) * cell + 16, anchor: "middle", Formatting.percent(share), className: "axis")
            }
        }
        return svg + "</svg>"
    }

    static func open(title: String, width: Double, height: Double) -> String {
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" xmlns=\"http://www.w3.org/2000/svg\"><title>\(SafeText.html(title))</title>"
    }

    static func text(x: Double, y: Double, anchor: String, _ content: String, className: String) -> String {
        "<text class=\"\(className)\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\">\(SafeText.html(content))</text>"
    }

    /// A coordinate in the drawing (geometry, not a figure a reader reads).
    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A figure on a chart: as tables write it (`Formatting.significant`); `nan` and `inf`
    /// are spelled out, since a mark is drawn for them.
    static func number(_ v: Double) -> String { Formatting.significant(v, missing: "\(v)") }
}
