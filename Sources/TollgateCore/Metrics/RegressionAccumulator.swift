/// Regression metrics, kept as the targets and predictions themselves.
///
/// Storing both (16 bytes a row) is what the median absolute error needs anyway, and it lets
/// every mean be numpy's pairwise sum bit for bit, so R² of a constant target is 0.0 or 1.0
/// exactly where scikit-learn's is.
public struct RegressionAccumulator: MetricAccumulator {
    public private(set) var targets: [Double] = []
    public private(set) var predictions: [Double] = []

    public init() {}

    public var count: Int { targets.count }

    public mutating func add(label: Double, prediction: UnsafeBufferPointer<Double>) {
        targets.append(label)
        predictions.append(prediction[0])
    }

    public mutating func merge(_ other: RegressionAccumulator) {
        targets.append(contentsOf: other.targets)
        predictions.append(contentsOf: other.predictions)
    }

    public mutating func metrics() -> [String: Double] {
        let y = targets
        let yhat = predictions
        let n = y.count
        let residual = (0..<n).map { y[$0] - yhat[$0] }
        let absolute = (0..<n).map { abs(yhat[$0] - y[$0]) }
        let squared = residual.map { $0 * $0 }
        let mse = Summation.mean(squared)
        let relative = (0..<n).map { absolute[$0] / max(abs(y[$0]), Double.ulpOfOne) }

        let meanY = Summation.mean(y)
        let deviation = y.map { ($0 - meanY) * ($0 - meanY) }
        let r2: Double = n < 2 ? .nan : Self.explainedDeviance(numerator: Summation.pairwise(squared), denominator: Summation.pairwise(deviation))

        let meanResidual = Summation.mean(residual)
        let residualSpread = Summation.mean(residual.map { ($0 - meanResidual) * ($0 - meanResidual) })
        let explained = Self.explainedDeviance(numerator: residualSpread, denominator: Summation.mean(deviation))

        return [
            "mae": Summation.mean(absolute),
            "mse": mse,
            "rmse": mse.squareRoot(),
            "r2": r2,
            "mape": Summation.mean(relative),
            "median_ae": Self.median(absolute),
            "explained_variance": explained
        ]
    }

    /// scikit-learn's `force_finite` rules: a perfect fit is 1.0 even for a constant target,
    /// an imperfect fit of a constant target is 0.0.
    static func explainedDeviance(numerator: Double, denominator: Double) -> Double {
        if numerator == 0 { return 1 }
        if denominator == 0 { return 0 }
        return 1 - numerator / denominator
    }

    /// `np.median`: the middle value, or the mean of the two middle values.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
