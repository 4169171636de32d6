/// Everything the gate measured that one version's checks are decided on. A plain record:
/// it names the suites' measurement types, but the logic that fills it is in the gate's
/// measure step and the logic that reads it is in each suite's `SuiteChecks`.
struct Measurements {
    /// The version the checks are decided for.
    var version: ModelVersion
    /// Its metrics (the evaluation's, latency's, drift's and `artifact_mb`), slices and tests.
    var evaluation: VersionEvaluation
    /// Its latency samples, summarised; nil when no latency check asks for them.
    var latency: LatencySummary?
    /// The kept rows as its checks resample them against the champion; nil when no rows were kept.
    var resampling: Resampling?
    /// Its tests against the champion on the same rows; nil for the champion itself.
    var comparisons: Comparisons?
    /// What the checks compare with.
    var champion: Champion
    /// The drift of the evaluation data from the reference data: one for the run.
    var drift: DriftMeasurement
    /// Declared input columns whose cells did not match their type, keyed `name:kind`.
    var schemaProblems: [String: SchemaCheck.Problem]
    var fairness: FairnessOptions
    var statistics: PairedBootstrap.Settings
    /// Why live latency cannot be trusted (the load client fell behind its schedule); every
    /// latency check is then inconclusive with it. Nil without `load:` or when the schedule held.
    var latencyUntrusted: String? = nil

    /// The champion's measurements that a check may compare with.
    struct Champion {
        var evaluation: VersionEvaluation
        var latency: LatencySummary?
    }
}

/// How one suite decides its checks. Each suite implements it once, in its own folder, and
/// `CheckRouter` picks the implementation by `Check.suite`: a new suite is a new case of
/// `Suite`, one file implementing this, and one line in the router.
protocol SuiteChecks {
    /// The check's outcome on these measurements. Never throws: what cannot be decided is an
    /// `error` outcome with a message, which blocks the candidate (fail closed).
    static func decide(_ check: Check, on measurements: Measurements) -> CheckResult
}
