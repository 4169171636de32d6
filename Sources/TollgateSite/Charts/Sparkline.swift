/// A word-sized line of a metric's recent values for the index: no axes, no labels to collide;
/// its title says what it shows and the first and last values in words.
enum Sparkline {
    static let width = 120.0, height = 28.0

    static func svg(metric: String, _ values: [Double]) -> String {
        let values = values.filter(\.isFinite)
        guard let low = values.min(), let high = values.max(), values.count > 1 else { return "" }
        let f = SVGChart.f
        func x(_ i: Int) -> Double { 2 + Double(i) / Double(values.count - 1) * (width - 4) }
        func y(_ v: Double) -> Double { high > low ? 3 + (1 - (v - low) / (high - low)) * (height - 6) : height / 2 }
        let points = values.enumerated().map { "\(f(x($0.offset))),\(f(y($0.element)))" }.joined(separator: " ")
        let title =
            "\(metric) over the last \(values.count) runs: \(SVGChart.number(values.first!)) to \(SVGChart.number(values.last!)), range \(SVGChart.number(low))–\(SVGChart.number(high))"
        return
            "<svg class=\"sparkline\" role=\"img\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" xmlns=\"http://www.w3.org/2000/svg\"><title>\(SafeText.html(title))</title><polyline class=\"series\" points=\"\(points)\"/></svg>"
    }
}
