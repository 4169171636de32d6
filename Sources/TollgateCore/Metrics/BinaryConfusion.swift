/// The four counts of a binary decision against the truth, and every metric scikit-learn and
/// fairlearn compute from them.
///
/// The counts are `Double` so a bootstrap resample can weigh a row by how often it was drawn;
/// the streaming pass, the resampled metrics and the resampled fairness groups all score their
/// counts here, so a metric has one formula and the three agree to the last bit.
struct BinaryConfusion: Sendable, Equatable {
    var truePositives = 0.0
    var falsePositives = 0.0
    var trueNegatives = 0.0
    var falseNegatives = 0.0

    /// The metrics of the counts alone, by scikit-learn's names.
    enum Metric: String, CaseIterable, Sendable {
        case accuracy
        case balancedAccuracy = "balanced_accuracy"
        case precision
        case recall
        case selectionRate = "selection_rate"
        case falsePositiveRate = "false_positive_rate"
        case falseNegativeRate = "false_negative_rate"
        case f1
        case mcc
    }

    init() {}

    init(truePositives: Double, falsePositives: Double, trueNegatives: Double, falseNegatives: Double) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.trueNegatives = trueNegatives
        self.falseNegatives = falseNegatives
    }

    /// Counts a row `weight` times: `positive` is the truth, `decided` the decision.
    @inline(__always)
    mutating func add(positive: Bool, decided: Bool, weight: Double = 1) {
        switch (positive, decided) {
        case (true, true): truePositives += weight
        case (false, true): falsePositives += weight
        case (false, false): trueNegatives += weight
        case (true, false): falseNegatives += weight
        }
    }

    var count: Double { truePositives + falsePositives + trueNegatives + falseNegatives }

    func value(_ metric: Metric) -> Double {
        let tp = truePositives
        let fp = falsePositives
        let tn = trueNegatives
        let fn = falseNegatives
        switch metric {
        case .accuracy: return (tp + tn) / (tp + fp + tn + fn)
        case .balancedAccuracy:
            // The mean recall of the classes present in the truth.
            var recalls: [Double] = []
            if tn + fp > 0 { recalls.append(tn / (tn + fp)) }
            if tp + fn > 0 { recalls.append(tp / (tp + fn)) }
            return recalls.reduce(0, +) / Double(recalls.count)
        case .precision: return Self.ratio(tp, tp + fp)
        case .recall: return Self.ratio(tp, tp + fn)
        // fairlearn's group rates: a rate with nothing to divide by is 0.0.
        case .selectionRate: return (tp + fp) / (tp + fp + tn + fn)
        case .falsePositiveRate: return Self.ratio(fp, fp + tn)
        case .falseNegativeRate: return Self.ratio(fn, fn + tp)
        case .f1: return Self.ratio(2 * tp, 2 * tp + fp + fn)
        case .mcc: return matthews
        }
    }

    /// Every metric of `Metric`, keyed by its name.
    var metrics: [String: Double] {
        var values: [String: Double] = [:]
        for metric in Metric.allCases { values[metric.rawValue] = value(metric) }
        return values
    }

    /// zero_division="warn" semantics: an undefined ratio is 0.0.
    private static func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }

    /// scikit-learn's form: covariances from row and column sums, 0.0 when either variance is 0.
    private var matthews: Double {
        let tp = truePositives
        let fp = falsePositives
        let tn = trueNegatives
        let fn = falseNegatives
        let t = (tn + fp, fn + tp)
        let p = (tn + fn, fp + tp)
        let s = tp + fp + tn + fn
        let covYtYp = (tn + tp) * s - (t.0 * p.0 + t.1 * p.1)
        let covYpYp = s * s - (p.0 * p.0 + p.1 * p.1)
        let covYtYt = s * s - (t.0 * t.0 + t.1 * t.1)
        if covYpYp * covYtYt == 0 { return 0 }
        return covYtYp / (covYtYt * covYpYp).squareRoot()
    }
}
