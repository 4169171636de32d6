/// Every metric name a check may use, which suite it belongs to and what it supports.
///
/// Names follow scikit-learn and fairlearn so users recognise them. A name that belongs to a
/// suite this build does not evaluate yet is still known, so the user is told exactly that
/// instead of "unknown metric". Validation asks this catalogue, never the suites' code, what
/// a metric supports.
public struct MetricInfo: Sendable, Equatable {
    public var name: String
    public var suite: Suite
    public var tasks: Set<Task>
    /// Multiclass metrics that need `p_<class>` columns rather than labels alone.
    public var needsProbabilities: Bool
    /// For display only: whether a larger value is better.
    public var higherIsBetter: Bool
    /// Whether this build computes it.
    public var isEvaluated: Bool
    /// How `@ 95%` gets its interval; nil when it has none.
    public var interval: IntervalSource? = nil
    /// A between-group disparity: it needs a slice and has one value for the whole slice.
    public var isDisparity = false
    /// How a check states its condition.
    public var condition: ConditionForm = .comparison

    /// What a bootstrap redraws to give this metric an interval.
    public enum IntervalSource: Sendable, Equatable {
        /// The kept evaluation rows, paired with the champion's (the metric, or each group's).
        case rows
        /// The kept rows, groups and all: the disparity recomputed between the drawn groups.
        case groups
        /// The version's requests, from the exact bootstrap distribution of the figure.
        case requests
        /// The reference data and the evaluation data, each drawn anew.
        case columns
    }

    /// The forms of condition a metric takes.
    public enum ConditionForm: Sendable, Equatable {
        /// A number: `<`, `<=`, `>`, `>=` or `==`.
        case comparison
        /// There or not: `model_card present`.
        case presence
        /// One of a list: `license in [mit, apache-2.0]`.
        case membership
    }

    /// Whether a `@ 95%` check on it needs the evaluation rows kept for resampling.
    public var needsKeptRows: Bool { interval == .rows || interval == .groups }
}

public enum MetricCatalog {
    public static let all: [MetricInfo] = accuracy + fairness + nonfunctional + latency + drift + notYetEvaluated

    public static func info(_ name: String) -> MetricInfo? { byName[name] }

    private static let byName: [String: MetricInfo] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

    /// The metrics `@ N%` recomputes on resampled rows for a task, for messages.
    public static func resampledOnRows(for task: Task) -> [String] {
        all.filter { $0.interval == .rows && $0.tasks.contains(task) }.map(\.name)
    }

    private static let accuracy: [MetricInfo] = {
        let c: Set<Task> = [.binary, .multiclass]
        func m(_ name: String, _ tasks: Set<Task>, higher: Bool = true, probabilities: Bool = false) -> MetricInfo {
            MetricInfo(
                name: name, suite: .accuracy, tasks: tasks, needsProbabilities: probabilities, higherIsBetter: higher, isEvaluated: true,
                interval: .rows)
        }
        return [
            m("accuracy", c), m("balanced_accuracy", c),
            m("precision", [.binary]), m("recall", [.binary]), m("f1", [.binary]),
            m("roc_auc", [.binary]), m("average_precision", [.binary]),
            m("log_loss", c, higher: false, probabilities: true), m("brier", c, higher: false, probabilities: true),
            m("mcc", c), m("ece", [.binary], higher: false), m("false_positive_rate", [.binary], higher: false),
            m("false_negative_rate", [.binary], higher: false),
            m("precision_macro", [.multiclass]), m("precision_micro", [.multiclass]), m("precision_weighted", [.multiclass]),
            m("recall_macro", [.multiclass]), m("recall_micro", [.multiclass]), m("recall_weighted", [.multiclass]),
            m("f1_macro", [.multiclass]), m("f1_micro", [.multiclass]), m("f1_weighted", [.multiclass]),
            m("roc_auc_ovr", [.multiclass], probabilities: true), m("roc_auc_ovr_weighted", [.multiclass], probabilities: true),
            m("mae", [.regression], higher: false), m("mse", [.regression], higher: false),
            m("rmse", [.regression], higher: false), m("r2", [.regression]),
            m("mape", [.regression], higher: false), m("median_ae", [.regression], higher: false),
            m("explained_variance", [.regression])
        ]
    }()

    private static let fairness: [MetricInfo] = {
        func m(_ name: String, higher: Bool, disparity: Bool = true) -> MetricInfo {
            MetricInfo(
                name: name, suite: .fairness, tasks: [.binary], needsProbabilities: false, higherIsBetter: higher, isEvaluated: true,
                interval: disparity ? .groups : .rows, isDisparity: disparity)
        }
        return [
            m("selection_rate", higher: true, disparity: false), m("demographic_parity_difference", higher: false),
            m("demographic_parity_ratio", higher: true), m("equalized_odds_difference", higher: false),
            m("equalized_odds_ratio", higher: true), m("equal_opportunity_difference", higher: false),
            m("equal_opportunity_ratio", higher: true), m("disparate_impact", higher: true)
        ]
    }()

    private static let nonfunctional: [MetricInfo] = {
        let every = Set(Task.allCases)
        func m(_ name: String, higher: Bool, _ condition: MetricInfo.ConditionForm = .comparison) -> MetricInfo {
            MetricInfo(
                name: name, suite: .nonfunctional, tasks: every, needsProbabilities: false, higherIsBetter: higher, isEvaluated: true,
                condition: condition)
        }
        return [
            m("artifact_mb", higher: false), m("coverage", higher: true), m("model_card", higher: true, .presence),
            m("license", higher: true, .membership), m("schema", higher: true, .presence), m("sha256", higher: true, .presence)
        ]
    }()

    private static let latency: [MetricInfo] = {
        let every = Set(Task.allCases)
        func m(_ name: String, higher: Bool = false, interval: Bool = true) -> MetricInfo {
            MetricInfo(
                name: name, suite: .latency, tasks: every, needsProbabilities: false, higherIsBetter: higher, isEvaluated: true,
                interval: interval ? .requests : nil)
        }
        return [m("p50_ms"), m("p95_ms"), m("p99_ms"), m("max_ms"), m("error_rate"), m("throughput_rps", higher: true, interval: false)]
    }()

    private static let drift: [MetricInfo] = {
        let every = Set(Task.allCases)
        // The tests' p-values get no interval: a p-value already states the sampling noise.
        func m(_ name: String, higher: Bool = false, interval: Bool = false) -> MetricInfo {
            MetricInfo(
                name: name, suite: .drift, tasks: every, needsProbabilities: false, higherIsBetter: higher, isEvaluated: true,
                interval: interval ? .columns : nil)
        }
        return [
            m("psi", interval: true), m("js_distance", interval: true), m("wasserstein_norm", interval: true),
            m("ks_pvalue", higher: true), m("chi2_pvalue", higher: true), m("drift_score"), m("drifted_share")
        ]
    }()

    /// Non-functional facts that are there or not (`model_card present`), not numbers.
    public static var presenceChecks: Set<String> { Set(all.filter { $0.condition == .presence }.map(\.name)) }

    /// Between-group disparities: they need a slice and have one value for the whole slice.
    public static func isDisparity(_ name: String) -> Bool { info(name)?.isDisparity ?? false }

    private static let notYetEvaluated: [MetricInfo] = {
        let every = Set(Task.allCases)
        func m(_ name: String, _ suite: Suite, higher: Bool = false) -> MetricInfo {
            MetricInfo(name: name, suite: suite, tasks: every, needsProbabilities: false, higherIsBetter: higher, isEvaluated: false)
        }
        return []
    }()
}
