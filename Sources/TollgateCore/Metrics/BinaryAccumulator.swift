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

    public mutating func metrics() -> [String: Double] {
        let n = Double(count)
        let tp = Double(truePositives), fp = Double(falsePositives), tn = Double(trueNegatives), fn = Double(falseNegatives)
        // zero_division="warn" semantics: an undefined ratio is 0.0.
        func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
        var recalls: [Double] = []
        if tn + fp > 0 { recalls.append(tn / (tn + fp)) }
        if tp + fn > 0 { recalls.append(tp / (tp + fn)) }
        return [
            "accuracy": (tp + tn) / n,
            "balanced_accuracy": recalls.reduce(0, +) / Double(recalls.count),
            "precision": ratio(tp, tp + fp),
            "recall": ratio(tp, tp + fn),
            // fairlearn's group rates: a rate with nothing to divide by is 0.0.
            "selection_rate": (tp + fp) / n,
            "false_positive_rate": ratio(fp, fp + tn),
            "false_negative_rate": ratio(fn, fn + tp),
            "f1": ratio(2 * tp, 2 * tp + fp + fn),
            "mcc": Self.matthews(tp: tp, fp: fp, tn: tn, fn: fn),
            "roc_auc": ranking.rocAUC(),
            "average_precision": ranking.averagePrecision(),
            "log_loss": logLoss.value / n,
            "brier": brier.value / n,
            "ece": calibration.expectedCalibrationError,
        ]
    }

    /// scikit-learn's form: covariances from row and column sums, 0.0 when either variance is 0.
    static func matthews(tp: Double, fp: Double, tn: Double, fn: Double) -> Double {
        let t = (tn + fp, fn + tp), p = (tn + fn, fp + tp)
        let s = tp + fp + tn + fn
        let covYtYp = (tn + tp) * s - (t.0 * p.0 + t.1 * p.1)
        let covYpYp = s * s - (p.0 * p.0 + p.1 * p.1)
        let covYtYt = s * s - (t.0 * t.0 + t.1 * t.1)
        if covYpYp * covYtYt == 0 { return 0 }
        return covYtYp / (covYtYt * covYpYp).squareRoot()
    }
}
