/// What a reviewer looks at beside the numbers: the ROC curve and the confusion matrix.
///
/// The curve is thinned to at most `maxPoints` of its corners (always keeping both ends), so a
/// report stays small however many distinct scores there are; the matrix is at the threshold.
public struct Curves: Sendable, Equatable, Codable {
    /// `[false positive rate, true positive rate]` pairs from (0, 0) to (1, 1).
    public var roc: [[Double]]
    /// `[[true negatives, false positives], [false negatives, true positives]]`, scikit-learn's layout.
    public var confusion: [[Int]]

    public static let maxPoints = 101

    public init(roc: [[Double]], confusion: [[Int]]) {
        self.roc = roc
        self.confusion = confusion
    }
}

extension MetricAccumulator {
    /// Only binary accumulators draw curves.
    public mutating func curves() -> Curves? { nil }
}

extension ScoreRanking {
    /// ROC corners, highest threshold first; empty when a class is missing.
    mutating func rocCurve(maxPoints: Int) -> [[Double]] {
        var positives: UInt64 = 0
        var negatives: UInt64 = 0
        forEachBlock(descending: true) { pos, neg in
            positives += pos
            negatives += neg
        }
        guard positives > 0, negatives > 0 else { return [] }
        var points: [[Double]] = [[0, 0]]
        var tp: UInt64 = 0
        var fp: UInt64 = 0
        forEachBlock(descending: true) { pos, neg in
            tp += pos
            fp += neg
            points.append([Double(fp) / Double(negatives), Double(tp) / Double(positives)])
        }
        guard points.count > maxPoints else { return points }
        let step = Double(points.count - 1) / Double(maxPoints - 1)
        return (0..<maxPoints).map { points[Int((Double($0) * step).rounded())] }
    }
}
