#if canImport(Glibc)
    import Glibc
#endif

/// Multiclass metrics from a confusion matrix, plus probability metrics (log loss, Brier,
/// one-vs-rest ROC AUC) when the version gives a probability per class.
public struct MulticlassAccumulator: MetricAccumulator {
    public let classCount: Int
    /// True when predictions carry one probability per class; false when they carry a label.
    public let hasProbabilities: Bool
    /// `confusion[truth * classCount + predicted]`
    public private(set) var confusion: [Int]
    private var logLoss = CompensatedSum()
    private var brier = CompensatedSum()
    private var rankings: [ScoreRanking]

    public init(classCount: Int, hasProbabilities: Bool) {
        self.classCount = classCount
        self.hasProbabilities = hasProbabilities
        confusion = [Int](repeating: 0, count: classCount * classCount)
        rankings = hasProbabilities ? [ScoreRanking](repeating: ScoreRanking(), count: classCount) : []
    }

    public var count: Int { confusion.reduce(0, +) }

    public mutating func add(label: Double, prediction: UnsafeBufferPointer<Double>) {
        let truth = Int(label)
        guard hasProbabilities else {
            confusion[truth * classCount + Int(prediction[0])] += 1
            return
        }
        var predicted = 0
        var squared = 0.0
        for k in 0..<classCount {
            let p = prediction[k]
            if p > prediction[predicted] { predicted = k }
            let residual = (k == truth ? 1.0 : 0.0) - p
            squared += residual * residual
            rankings[k].add(score: p, positive: k == truth)
        }
        confusion[truth * classCount + predicted] += 1
        logLoss.add(-log(min(max(prediction[truth], BinaryAccumulator.epsilon), 1 - BinaryAccumulator.epsilon)))
        brier.add(squared)
    }

    public mutating func merge(_ other: MulticlassAccumulator) {
        for i in confusion.indices { confusion[i] += other.confusion[i] }
        logLoss.add(other.logLoss)
        brier.add(other.brier)
        for k in rankings.indices { rankings[k].merge(other.rankings[k]) }
    }

    public mutating func metrics() -> [String: Double] {
        let n = Double(count)
        var values = Self.confusionMetrics(confusion.map(Double.init), classCount: classCount)
        if hasProbabilities {
            values["log_loss"] = logLoss.value / n
            values["brier"] = brier.value / n * (classCount < 3 ? 0.5 : 1)
            let aucs = rankings.indices.map { rankings[$0].rocAUC() }
            values["roc_auc_ovr"] = Summation.mean(aucs)
            let prevalence = (0..<classCount).map { t in (0..<classCount).reduce(0.0) { $0 + Double(confusion[t * classCount + $1]) } }
            let total = prevalence.reduce(0, +)
            values["roc_auc_ovr_weighted"] = total == 0 ? 0 : zip(aucs, prevalence).reduce(0.0) { $0 + ($1.1 == 0 ? 0 : $1.0 * $1.1) } / total
        }
        return values
    }

    /// Every metric of a confusion matrix (`confusion[truth * k + predicted]`), weighted
    /// counts allowed, so a bootstrap resample is scored by the same code as the whole data.
    static func confusionMetrics(_ confusion: [Double], classCount k: Int) -> [String: Double] {
        var support = [Double](repeating: 0, count: k)
        var predicted = [Double](repeating: 0, count: k)
        var hits = [Double](repeating: 0, count: k)
        for t in 0..<k {
            for p in 0..<k {
                let c = confusion[t * k + p]
                support[t] += c
                predicted[p] += c
            }
            hits[t] = confusion[t * k + t]
        }
        let n = support.reduce(0, +)
        // scikit-learn averages over the labels present in the truth or the predictions.
        let present = (0..<k).filter { support[$0] > 0 || predicted[$0] > 0 }
        func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
        let precision = present.map { ratio(hits[$0], predicted[$0]) }
        let recall = present.map { ratio(hits[$0], support[$0]) }
        let f1 = present.map { ratio(2 * hits[$0], support[$0] + predicted[$0]) }
        let weights = present.map { support[$0] }
        let tp = present.reduce(0.0) { $0 + hits[$1] }
        let truthTotal = present.reduce(0.0) { $0 + support[$1] }
        let predictedTotal = present.reduce(0.0) { $0 + predicted[$1] }
        let classRecalls = (0..<k).filter { support[$0] > 0 }.map { hits[$0] / support[$0] }
        return [
            "accuracy": hits.reduce(0, +) / n,
            "balanced_accuracy": Summation.mean(classRecalls),
            "precision_macro": Summation.mean(precision),
            "recall_macro": Summation.mean(recall),
            "f1_macro": Summation.mean(f1),
            "precision_micro": ratio(tp, predictedTotal),
            "recall_micro": ratio(tp, truthTotal),
            "f1_micro": ratio(2 * tp, truthTotal + predictedTotal),
            "precision_weighted": weightedMean(precision, weights),
            "recall_weighted": weightedMean(recall, weights),
            "f1_weighted": weightedMean(f1, weights),
            "mcc": gorodkin(hits: hits, support: support, predicted: predicted)
        ]
    }

    /// `np.average(values, weights=support)`, falling back to the plain mean with no support.
    static func weightedMean(_ values: [Double], _ weights: [Double]) -> Double {
        let total = weights.reduce(0, +)
        guard total > 0 else { return Summation.mean(values) }
        return zip(values, weights).reduce(0.0) { $0 + $1.0 * $1.1 } / total
    }

    /// Matthews correlation in Gorodkin's multiclass form, as scikit-learn computes it.
    static func gorodkin(hits: [Double], support t: [Double], predicted p: [Double]) -> Double {
        let s = t.reduce(0, +)
        let c = hits.reduce(0, +)
        let tp = zip(t, p).reduce(0.0) { $0 + $1.0 * $1.1 }
        let pp = p.reduce(0.0) { $0 + $1 * $1 }
        let tt = t.reduce(0.0) { $0 + $1 * $1 }
        let covYtYp = c * s - tp
        let covYpYp = s * s - pp
        let covYtYt = s * s - tt
        if covYpYp * covYtYt == 0 { return 0 }
        return covYtYp / (covYtYt * covYpYp).squareRoot()
    }
}
