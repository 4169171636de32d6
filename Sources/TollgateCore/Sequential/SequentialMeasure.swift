/// How a check's per-event values are compared between arms.
public enum SequentialMeasure: String, Sendable, Equatable, Codable {
    /// 0/1 values (errors, exceedances, conversions, correct predictions): a difference of
    /// proportions with the half-count variance floor.
    case proportion
    /// Any numeric value (log latency, a score): a difference of means with sample variances.
    case mean
}
