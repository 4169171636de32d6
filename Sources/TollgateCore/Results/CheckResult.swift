/// One check evaluated on one candidate: the numbers a reviewer needs to agree with the outcome.
///
/// The suite stays a string here: a report outlives the build that wrote it, and a stored
/// report naming a suite this build does not know must still decode.
public struct CheckResult: Sendable, Equatable, Codable {
    public var suite: String
    /// The sentence as written.
    public var expression: String
    /// The metric key (`roc_auc`, later `recall[age_band]`).
    public var metric: String
    public var value: Double?
    public var championValue: Double?
    /// The right-hand side after substituting the champion's value.
    public var threshold: Double?
    /// Confidence interval of the value, when one was computed.
    public var interval: [Double]?
    public var outcome: Outcome
    public var severity: Check.Severity
    public var message: String
    /// `file:line:col` of the check in the config.
    public var location: String
    /// For `@ delong` / `@ mcnemar`: the difference from the champion, its bounds, the margin
    /// and the p-values the outcome was decided on.
    public var test: MarginTest? = nil

    /// A result for `check` with nothing measured yet: an error until an evaluator decides.
    init(undecided check: Check) {
        self.init(
            suite: check.suite.rawValue, expression: check.source, metric: check.subject.key, value: nil, championValue: nil,
            threshold: nil, interval: nil, outcome: .error, severity: check.severity, message: "",
            location: check.location.description)
    }

    public init(
        suite: String, expression: String, metric: String, value: Double?, championValue: Double?, threshold: Double?,
        interval: [Double]?, outcome: Outcome, severity: Check.Severity, message: String, location: String,
        test: MarginTest? = nil
    ) {
        self.suite = suite
        self.expression = expression
        self.metric = metric
        self.value = value
        self.championValue = championValue
        self.threshold = threshold
        self.interval = interval
        self.outcome = outcome
        self.severity = severity
        self.message = message
        self.location = location
        self.test = test
    }

    enum CodingKeys: String, CodingKey {
        case suite, expression, metric, value, threshold, interval, outcome, severity, message, location, test
        case championValue = "champion_value"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(suite, forKey: .suite)
        try c.encode(expression, forKey: .expression)
        try c.encode(metric, forKey: .metric)
        try c.encode(value.flatMap(JSONNumber.finite), forKey: .value)
        try c.encode(championValue.flatMap(JSONNumber.finite), forKey: .championValue)
        try c.encode(threshold.flatMap(JSONNumber.finite), forKey: .threshold)
        try c.encode(interval, forKey: .interval)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(severity, forKey: .severity)
        try c.encode(message, forKey: .message)
        try c.encode(location, forKey: .location)
        try c.encodeIfPresent(test, forKey: .test)
    }
}

/// JSON has no NaN or infinity: such values are written as null.
enum JSONNumber {
    static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
}
