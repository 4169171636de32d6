import Foundation
import TollgateCore

/// "Nice" ticks for a value axis (steps of 1, 2 or 5 × 10ⁿ), about five of them, each printed
/// with as many decimals as the step needs and no more, so the labels stay short.
enum ValueTicks {
    static func ticks(low: Double, high: Double, count: Int = 5) -> (values: [Double], labels: [String]) {
        guard low.isFinite, high.isFinite, high > low else { return ([low], [SVGChart.number(low)]) }
        let raw = (high - low) / Double(max(1, count - 1))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let decimals = max(0, Int(-floor(log10(step))))
        var values: [Double] = []
        var v = (low / step).rounded(.up) * step
        while v <= high + step * 1e-9, values.count < 20 {
            values.append(v)
            v += step
        }
        return (values, values.map { Formatting.fixed($0 == 0 ? 0 : $0, places: min(decimals, 8)) })
    }
}
