/// One check sentence, parsed: a condition on one metric a reviewer can read aloud.
///
/// The grammar is `METRIC[SLICE] OP EXPR [@ CONFIDENCE] [warn|block]` (DESIGN.md). The
/// syntax tree already carries slices, aggregates and confidence so that later suites only
/// add evaluation, never a second parser.
public struct Check: Sendable, Equatable {
    /// The sentence as written, for tables and reports.
    public var source: String
    public var location: SourceLocation
    /// The suite the sentence was listed under.
    public var suite: Suite
    public var subject: Subject
    public var condition: Condition
    public var confidence: Confidence?
    public var severity: Severity

    public init(
        source: String, location: SourceLocation, suite: Suite, subject: Subject,
        condition: Condition, confidence: Confidence? = nil, severity: Severity = .block
    ) {
        self.source = source
        self.location = location
        self.suite = suite
        self.subject = subject
        self.condition = condition
        self.confidence = confidence
        self.severity = severity
    }

    /// What the check is about: a metric, possibly per slice, possibly its worst slice.
    public struct Subject: Sendable, Equatable {
        public var metric: String
        /// Sensitive features naming the groups (`[sex, age_band]`), `["*"]` for every column.
        public var slice: [String]?
        /// `min(...)` or `max(...)` over the slice's groups.
        public var aggregate: Aggregate?
        /// Where the metric name starts, for "unknown metric" messages.
        public var location: SourceLocation

        public init(metric: String, slice: [String]? = nil, aggregate: Aggregate? = nil, location: SourceLocation) {
            self.metric = metric
            self.slice = slice
            self.aggregate = aggregate
            self.location = location
        }

        /// The key of this metric in a flat metrics map: `recall[age_band]`.
        public var key: String {
            guard let slice else { return metric }
            return "\(metric)[\(slice.joined(separator: ", "))]"
        }
    }

    public enum Condition: Sendable, Equatable {
        case compare(ComparisonOperator, Expression)
        /// `model_card present`
        case present
        /// `license in [mit, apache-2.0]`
        case member(of: [String])
    }

    public enum Confidence: Sendable, Equatable {
        /// `@ 95%`: a paired bootstrap interval at this level (0.95).
        case level(Double)
        /// `@ delong 0.05`: a named significance test at this alpha.
        case test(name: StatisticalTest, alpha: Double)
    }

    /// `min(recall[age_band])`: the worst group decides, whichever way is worse.
    public enum Aggregate: String, Sendable, Equatable, CaseIterable {
        case min
        case max

        /// The smallest or largest of `values`; nil when there are none.
        func of(_ values: [Double]) -> Double? { self == .min ? values.min() : values.max() }
    }

    /// The significance tests `@ NAME α` may name. Parsed here, so a misspelt test is refused
    /// where it is written and can never be taken for another one.
    public enum StatisticalTest: String, Sendable, Equatable, CaseIterable {
        /// DeLong's test of two ROC AUCs on the same rows.
        case delong
        /// McNemar's exact test of two accuracies on the same rows.
        case mcnemar

        /// The one metric each test compares.
        var metric: String {
            switch self {
            case .delong: "roc_auc"
            case .mcnemar: "accuracy"
            }
        }
    }

    public enum Severity: String, Sendable, Equatable, Codable {
        case block
        case warn
    }
}

public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case equal = "=="

    /// NaN never satisfies a comparison; callers treat NaN as inconclusive before asking.
    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        case .equal: lhs == rhs
        }
    }
}
