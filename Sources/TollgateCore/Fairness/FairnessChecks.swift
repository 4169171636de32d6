/// Fairness checks: a disparity between the groups of a slice, a metric every group must
/// clear, or the worst group's (`SliceChecks`); `@ 95%` by a paired bootstrap of the kept
/// rows, groups redrawn with them. An unsliced fairness metric (`selection_rate`) is a plain
/// threshold, as in the accuracy suite.
enum FairnessChecks: SuiteChecks {
    /// The same rule as the accuracy suite: both read the evaluated rows, sliced or not.
    static func decide(_ check: Check, on m: Measurements) -> CheckResult { AccuracyChecks.decide(check, on: m) }
}
