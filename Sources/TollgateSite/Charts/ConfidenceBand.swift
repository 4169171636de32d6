import TollgateCore

/// A check's confidence sequence over the looks of a canary analysis: the band between the
/// intersected bounds at each look (it can only narrow), the estimate through it, the margin as
/// a dashed line and zero as a grid line. The check fails when the band leaves the margin's bad
/// side and passes when it settles on the good side, which this picture shows at a glance.
struct ConfidenceBand {
    struct Look {
        var look: Int
        var lower: Double?
        var upper: Double?
        var estimate: Double?
    }

    var title: String
    var looks: [Look]
    var margin: Double

    static let width = 640.0
    static let height = 240.0

    /// The SVG, or "" when no look has a finite interval yet.
    var svg: String {
        let bounded = looks.filter { ($0.lower?.isFinite ?? false) && ($0.upper?.isFinite ?? false) }
        guard !bounded.isEmpty, margin.isFinite else { return "" }
        var values: [Double] = [margin, 0]
        for b in bounded { values += [b.lower!, b.upper!] }
        for l in looks { if let e = l.estimate, e.isFinite { values.append(e) } }
        let low: Double = values.min()!
        let high: Double = values.max()!
        let span: Double = high - low > 0 ? high - low : max(abs(high), 1.0) * 0.1
        let y0 = low - span * 0.08
        let y1 = high + span * 0.08
        let left = 70.0
        let right = 90.0
        let top = 20.0
        let bottom = 40.0
        let first = looks.map(\.look).min() ?? 1
        let last = looks.map(\.look).max() ?? 1
        let plotWidth = Self.width - left - right
        func x(_ look: Int) -> Double {
            guard last > first else { return left + plotWidth / 2 }
            return left + Double(look - first) / Double(last - first) * plotWidth
        }
        func y(_ v: Double) -> Double { top + (1 - (v - y0) / (y1 - y0)) * (Self.height - top - bottom) }
        let f = SVGChart.f
        let number = SVGChart.number
        var svg = SVGChart.open(title: title, width: Self.width, height: Self.height)
        svg +=
            "<line class=\"axis-line\" x1=\"\(f(left))\" y1=\"\(f(Self.height - bottom))\" x2=\"\(f(Self.width - right))\" y2=\"\(f(Self.height - bottom))\"/>"
        svg += "<line class=\"axis-line\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(Self.height - bottom))\"/>"
        svg += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y(0)))\" x2=\"\(f(Self.width - right))\" y2=\"\(f(y(0)))\"/>"
        svg += SVGChart.text(x: Self.width - right + 4, y: y(0) + 4, anchor: "start", "0", className: "axis")
        let outline = bounded.map { "\(f(x($0.look))),\(f(y($0.upper!)))" } + bounded.reversed().map { "\(f(x($0.look))),\(f(y($0.lower!)))" }
        if bounded.count > 1 {
            svg += "<polygon class=\"cs-band\" points=\"\(outline.joined(separator: " "))\"/>"
        }
        for b in bounded {
            svg +=
                "<line class=\"band\" x1=\"\(f(x(b.look)))\" y1=\"\(f(y(b.upper!)))\" x2=\"\(f(x(b.look)))\" y2=\"\(f(y(b.lower!)))\"><title>look \(b.look): [\(number(b.lower!)), \(number(b.upper!))]</title></line>"
        }
        let estimates = looks.filter { $0.estimate?.isFinite ?? false }
        if estimates.count > 1 {
            svg += "<polyline class=\"series\" points=\"\(estimates.map { "\(f(x($0.look))),\(f(y($0.estimate!)))" }.joined(separator: " "))\"/>"
        }
        for e in estimates {
            svg +=
                "<circle class=\"point\" cx=\"\(f(x(e.look)))\" cy=\"\(f(y(e.estimate!)))\" r=\"3\"><title>look \(e.look): estimate \(number(e.estimate!))</title></circle>"
        }
        svg += "<line class=\"threshold\" x1=\"\(f(left))\" y1=\"\(f(y(margin)))\" x2=\"\(f(Self.width - right))\" y2=\"\(f(y(margin)))\"/>"
        svg += SVGChart.text(x: Self.width - right + 4, y: y(margin) + 4, anchor: "start", "margin \(number(margin))", className: "value")
        svg += SVGChart.text(x: left - 6, y: y(high) + 4, anchor: "end", number(high), className: "axis")
        svg += SVGChart.text(x: left - 6, y: y(low) + 4, anchor: "end", number(low), className: "axis")
        svg += SVGChart.text(x: x(first), y: Self.height - bottom + 16, anchor: "middle", "look \(first)", className: "axis")
        if last > first { svg += SVGChart.text(x: x(last), y: Self.height - bottom + 16, anchor: "middle", "look \(last)", className: "axis") }
        svg += SVGChart.text(x: (left + Self.width - right) / 2, y: Self.height - 8, anchor: "middle", "canary − baseline, by look", className: "axis")
        return svg + "</svg>"
    }
}
