#if canImport(Glibc)
    import Glibc
#endif

/// A metric recomputed on a resample given as a count per row (how often the row was drawn).
///
/// Everything that depends only on the rows — decisions, per-row losses, calibration bins,
/// the ranking by score — is worked out once; each resample is then one O(n) pass over the
/// counts. That is what keeps thousands of resamples affordable without re-reading the data.
protocol ResampledMetric {
    func value(_ counts: UnsafeBufferPointer<UInt32>) -> Double
}

/// Metrics whose value on a resample this build can compute.
enum ResampledMetrics {
    static let binary: Set<String> = [
        "accuracy", "balanced_accuracy", "precision", "recall", "f1", "mcc", "selection_rate", "false_positive_rate", "false_negative_rate",
        "log_loss", "brier", "roc_auc", "average_precision", "ece"
    ]
    static let regression: Set<String> = ["mae", "mse", "rmse", "r2", "mape", "median_ae", "explained_variance"]
    static let multiclass: Set<String> = [
        "accuracy", "balanced_accuracy", "mcc", "precision_macro", "precision_micro", "precision_weighted",
        "recall_macro", "recall_micro", "recall_weighted", "f1_macro", "f1_micro", "f1_weighted",
        "log_loss", "brier", "roc_auc_ovr", "roc_auc_ovr_weighted"
    ]

    static func names(for task: Task) -> Set<String> {
        switch task {
        case .binary: binary
        case .regression: regression
        case .multiclass: multiclass
        }
    }

    /// The mean of per-row values with each row counted as often as the resample drew it.
    static func weightedMean(_ perRow: [Double], _ w: UnsafeBufferPointer<UInt32>) -> Double {
        var sum = 0.0
        var total = 0.0
        for i in perRow.indices where w[i] > 0 {
            sum += Double(w[i]) * perRow[i]
            total += Double(w[i])
        }
        return sum / total
    }

    /// One version's kept predictions: `width` values a row.
    struct Predictions {
        var values: [Double]
        var width: Int

        /// The rows `rows`, in that order.
        func subset(_ rows: [Int32]) -> Predictions {
            var out: [Double] = []
            out.reserveCapacity(rows.count * width)
            for row in rows { out.append(contentsOf: values[Int(row) * width..<(Int(row) + 1) * width]) }
            return Predictions(values: out, width: width)
        }
    }

    static func make(_ metric: String, task: Task, labels: [Double], predictions: Predictions, threshold: Double, classCount: Int = 0) -> any ResampledMetric {
        switch task {
        case .binary: BinaryResampledMetric(metric, labels: labels, scores: predictions.values, threshold: threshold)
        case .regression: RegressionResampledMetric(metric, targets: labels, predictions: predictions.values)
        case .multiclass: MulticlassResampledMetric(metric, labels: labels, predictions: predictions, classCount: classCount)
        }
    }

    static func make(_ metric: String, task: Task, labels: [Double], predictions: [Double], threshold: Double) -> any ResampledMetric {
        make(metric, task: task, labels: labels, predictions: Predictions(values: predictions, width: 1), threshold: threshold)
    }
}

struct BinaryResampledMetric: ResampledMetric {
    let metric: String
    private let positive: [Bool]
    private let decided: [Bool]
    private let perRow: [Double]
    private let order: [Int]
    private let scores: [Double]
    private let bins: [Int]
    /// The metric when it is one of the confusion counts' (accuracy, recall, …).
    private let counted: BinaryConfusion.Metric?

    init(_ metric: String, labels: [Double], scores: [Double], threshold: Double) {
        self.metric = metric
        counted = BinaryConfusion.Metric(rawValue: metric)
        positive = labels.map { $0 == 1 }
        decided = scores.map { $0 >= threshold }
        self.scores = scores
        let eps = BinaryAccumulator.epsilon
        switch metric {
        case "log_loss":
            perRow = zip(positive, scores).map { y, p in -log(min(max(y ? p : 1 - p, eps), 1 - eps)) }
        case "brier":
            perRow = zip(positive, scores).map { y, p in ((y ? 1 : 0) - p) * ((y ? 1 : 0) - p) }
        default:
            perRow = []
        }
        order = metric == "roc_auc" || metric == "average_precision" ? scores.indices.sorted { scores[$0] < scores[$1] } : []
        bins = metric == "ece" ? scores.map(CalibrationBins.bin(of:)) : []
    }

    func value(_ w: UnsafeBufferPointer<UInt32>) -> Double {
        switch metric {
        case "log_loss", "brier":
            return ResampledMetrics.weightedMean(perRow, w)
        case "roc_auc", "average_precision":
            return ranked(w)
        case "ece":
            var count = [Double](repeating: 0, count: CalibrationBins.binCount)
            var hits = count
            var mass = count
            var total = 0.0
            for i in bins.indices where w[i] > 0 {
                let c = Double(w[i])
                count[bins[i]] += c
                if positive[i] { hits[bins[i]] += c }
                mass[bins[i]] += c * scores[i]
                total += c
            }
            var ece = 0.0
            for b in count.indices where count[b] > 0 { ece += count[b] / total * abs(hits[b] / count[b] - mass[b] / count[b]) }
            return ece
        default:
            guard let counted else { return .nan }
            var confusion = BinaryConfusion()
            for i in positive.indices where w[i] > 0 { confusion.add(positive: positive[i], decided: decided[i], weight: Double(w[i])) }
            return confusion.value(counted)
        }
    }

    /// Weighted ROC AUC or average precision over the precomputed ascending order.
    private func ranked(_ w: UnsafeBufferPointer<UInt32>) -> Double {
        var blocks: [(pos: Double, neg: Double)] = []
        var i = 0
        while i < order.count {
            var pos = 0.0
            var neg = 0.0
            let score = scores[order[i]]
            while i < order.count, scores[order[i]] == score {
                let row = order[i]
                if positive[row] { pos += Double(w[row]) } else { neg += Double(w[row]) }
                i += 1
            }
            if pos + neg > 0 { blocks.append((pos, neg)) }
        }
        let totalPositive = blocks.reduce(0) { $0 + $1.pos }
        let totalNegative = blocks.reduce(0) { $0 + $1.neg }
        if metric == "roc_auc" {
            guard totalPositive > 0, totalNegative > 0 else { return .nan }
            var below = 0.0
            var area = 0.0
            for block in blocks {
                area += block.pos * below + 0.5 * block.pos * block.neg
                below += block.neg
            }
            return area / (totalPositive * totalNegative)
        }
        guard totalPositive > 0 else { return 0 }
        var tp = 0.0
        var fp = 0.0
        var previous = 0.0
        var sum = 0.0
        for block in blocks.reversed() {
            tp += block.pos
            fp += block.neg
            let recall = tp / totalPositive
            sum += (recall - previous) * (tp / (tp + fp))
            previous = recall
        }
        return max(0, sum)
    }
}

struct RegressionResampledMetric: ResampledMetric {
    let metric: String
    let targets: [Double]
    let predictions: [Double]
    /// Absolute errors in ascending order, for the median.
    private let sortedErrors: [(error: Double, row: Int)]

    init(_ metric: String, targets: [Double], predictions: [Double]) {
        self.metric = metric
        self.targets = targets
        self.predictions = predictions
        sortedErrors =
            metric == "median_ae"
            ? targets.indices.map { (abs(targets[$0] - predictions[$0]), $0) }.sorted { $0.error < $1.error } : []
    }

    /// numpy's median of the resampled absolute errors: the middle one, or the mean of the two.
    private func medianError(_ w: UnsafeBufferPointer<UInt32>) -> Double {
        var total = 0
        for i in targets.indices { total += Int(w[i]) }
        let lowRank = (total + 1) / 2
        let highRank = total / 2 + 1 // 1-based; equal when total is odd
        var seen = 0
        var low = Double.nan
        for (error, row) in sortedErrors where w[row] > 0 {
            seen += Int(w[row])
            if low.isNaN, seen >= lowRank { low = error }
            if seen >= highRank { return (low + error) / 2 }
        }
        return .nan
    }

    func value(_ w: UnsafeBufferPointer<UInt32>) -> Double {
        if metric == "median_ae" { return medianError(w) }
        var total = 0.0
        var sumY = 0.0
        var sumResidual = 0.0
        for i in targets.indices where w[i] > 0 {
            let c = Double(w[i])
            total += c
            sumY += c * targets[i]
            sumResidual += c * (targets[i] - predictions[i])
        }
        let meanY = sumY / total
        let meanResidual = sumResidual / total
        var absolute = 0.0
        var squared = 0.0
        var relative = 0.0
        var deviation = 0.0
        var spread = 0.0
        for i in targets.indices where w[i] > 0 {
            let c = Double(w[i])
            let r = targets[i] - predictions[i]
            absolute += c * abs(r)
            squared += c * r * r
            relative += c * abs(r) / max(abs(targets[i]), Double.ulpOfOne)
            deviation += c * (targets[i] - meanY) * (targets[i] - meanY)
            spread += c * (r - meanResidual) * (r - meanResidual)
        }
        switch metric {
        case "mae": return absolute / total
        case "mse": return squared / total
        case "rmse": return (squared / total).squareRoot()
        case "mape": return relative / total
        case "r2": return RegressionAccumulator.explainedDeviance(numerator: squared, denominator: deviation)
        default: return RegressionAccumulator.explainedDeviance(numerator: spread / total, denominator: deviation / total)
        }
    }
}

/// Multiclass metrics on a resample: a weighted confusion matrix scored by the accumulator's
/// own code, per-row losses worked out once, and one-vs-rest AUCs over presorted scores.
struct MulticlassResampledMetric: ResampledMetric {
    let metric: String
    let classCount: Int
    private let truth: [Int]
    private let predicted: [Int]
    private let perRow: [Double]
    private let oneVsRest: [BinaryResampledMetric]

    init(_ metric: String, labels: [Double], predictions: ResampledMetrics.Predictions, classCount k: Int) {
        self.metric = metric
        classCount = k
        truth = labels.map { Int($0) }
        let rows = labels.count
        let width = predictions.width
        let p = predictions.values
        let probabilities = width > 1
        predicted = (0..<rows).map { row in
            guard probabilities else { return Int(p[row]) }
            var best = 0
            for c in 1..<width where p[row * width + c] > p[row * width + best] { best = c }
            return best
        }
        switch probabilities ? metric : "" {
        case "log_loss":
            let eps = BinaryAccumulator.epsilon
            perRow = (0..<rows).map { -log(min(max(p[$0 * width + Int(labels[$0])], eps), 1 - eps)) }
        case "brier":
            perRow = (0..<rows).map { row in
                (0..<width).reduce(0.0) { sum, c in
                    let residual = (c == Int(labels[row]) ? 1.0 : 0.0) - p[row * width + c]
                    return sum + residual * residual
                } * (k < 3 ? 0.5 : 1)
            }
        default:
            perRow = []
        }
        oneVsRest =
            metric.hasPrefix("roc_auc_ovr") && probabilities
            ? (0..<k).map { c in
                BinaryResampledMetric(
                    "roc_auc", labels: labels.map { Int($0) == c ? 1 : 0 }, scores: (0..<rows).map { p[$0 * width + c] }, threshold: 0.5)
            } : []
    }

    func value(_ w: UnsafeBufferPointer<UInt32>) -> Double {
        switch metric {
        case "log_loss", "brier":
            return ResampledMetrics.weightedMean(perRow, w)
        case "roc_auc_ovr", "roc_auc_ovr_weighted":
            let aucs = oneVsRest.map { $0.value(w) }
            guard metric == "roc_auc_ovr_weighted" else { return Summation.mean(aucs) }
            var prevalence = [Double](repeating: 0, count: classCount)
            for i in truth.indices where w[i] > 0 { prevalence[truth[i]] += Double(w[i]) }
            let total = prevalence.reduce(0, +)
            return zip(aucs, prevalence).reduce(0.0) { $0 + ($1.1 == 0 ? 0 : $1.0 * $1.1) } / total
        default:
            var confusion = [Double](repeating: 0, count: classCount * classCount)
            for i in truth.indices where w[i] > 0 { confusion[truth[i] * classCount + predicted[i]] += Double(w[i]) }
            return MulticlassAccumulator.confusionMetrics(confusion, classCount: classCount)[metric] ?? .nan
        }
    }
}
