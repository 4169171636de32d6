/// Takes rows one at a time, merges with another of its kind, and yields metric values.
///
/// Mergeable accumulators are what let one evaluation be split into shards (a CI matrix,
/// indexed jobs) and combined afterwards: `a.merge(b)` gives the metrics of `a`'s rows and
/// `b`'s rows together, exactly as one pass over both would.
public protocol MetricAccumulator: Sendable {
    /// - Parameters:
    ///   - label: the class index (binary: 0 or 1) or, for regression, the target value.
    ///   - prediction: the version's prediction for the row, laid out as `PredictionLayout` says.
    mutating func add(label: Double, prediction: UnsafeBufferPointer<Double>)
    mutating func merge(_ other: Self)
    /// The metric values by name (scikit-learn's names); `mutating` so rankings can sort in place.
    mutating func metrics() -> [String: Double]
    /// Rows seen so far.
    var count: Int { get }
    /// The ROC curve and confusion matrix, where the task has them.
    mutating func curves() -> Curves?
}
