#if canImport(Glibc)
    import Glibc
#endif

/// Every binary-classification metric in one streaming pass: counts at the decision threshold,
/// log loss and Brier score as compensated sums, calibration bins, and the score ranking for
/// ROC AUC and average precision.
public struct BinaryAccumulator: MetricAccumulator {
    /// A score at or above the threshold is a positive decision.
    public let threshold: Double
    public private(set) var truePositives = 0
    public private(set) var falsePositives = 0
    public private(set) var trueNegatives = 0
    public private(set) var falseNegatives = 0
    private var logLoss = CompensatedSum()
    private var brier = CompensatedSum()
    private var calibration = CalibrationBins()
    private var ranking = ScoreRanking()

    /// float64 machine epsilon: scikit-learn ≥ 1.5 clips probabilities to [eps, 1 − eps].
    static let epsilon = Double.ulpOfOne

    public init(threshold: Double) { self.threshold = threshold }

    public var count: Int { truePositives + falsePositives + trueNegatives + falseNegatives }

    /// Score and label of every row, in the order the rows came, until `metrics()` or
    /// `curves()` ranks them in place.
    var scoreKeys: [UInt64] { ranking.keys }

    /// Hands over the same keys ranked, once nothing needs their row order any more.
    mutating func adoptRankedKeys(_ ranked: [UInt64]) { ranking.adoptSorted(ranked) }

    public mutating func add(label: Double, prediction: UnsafeBufferPointer<Double>) {
        add(positive: label == 1, score: prediction[0])
    }

    @inline(__always)
    public mutating func add(positive: Bool, score p: Double) {
        if p >= threshold {
            if positive { truePositives += 1 } else { falsePositives += 1 }
        } else {
            if positive { falseNegatives += 1 } else { trueNegatives += 1 }
        }
        let probability = positive ? p : 1 - p
        logLoss.add(-log(min(max(probability, Self.epsilon), 1 - Self.epsilon)))
        let residual = (positive ? 1.0 : 0.0) - p
        brier.add(residual * residual)
        calibration.add(probability: p, positive: positive)
        ranking.add(score: p, positive: positive)
    }

    public mutating func merge(_ other: BinaryAccumulator) {
        truePositives += other.truePositives
        falsePositives += other.falsePositives
        trueNegatives += other.trueNegatives
        falseNegatives += other.falseNegatives
        logLoss.add(other.logLoss)
        brier.add(other.brier)
        calibration.merge(other.calibration)
        ranking.merge(other.ranking)
    }

    public mutating func curves() -> Curves? {
        Curves(roc: ranking.rocCurve(maxPoints: Curves.maxPoints), confusion: [[trueNegatives, falsePositives], [falseNegatives, truePositives]])
    }

    /// The counts at the threshold, scored by the formulas the resampled metrics share.
    var confusion: BinaryConfusion {
        BinaryConfusion(
            truePositives: Double(truePositives), falsePositives: Double(falsePositives),
            trueNegatives: Double(trueNegatives), falseNegatives: Double(falseNegatives))
    }

    public mutating func metrics() -> [String: Double] {
        let n = Double(count)
        var values = confusion.metrics
        values["roc_auc"] = ranking.rocAUC()
        values["average_precision"] = ranking.averagePrecision()
        values["log_loss"] = logLoss.value / n
        values["brier"] = brier.value / n
        values["ece"] = calibration.expectedCalibrationError
        return values
    }
}
