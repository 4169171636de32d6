/// Fairness checks: a disparity between the groups of a slice, a metric every group must
/// clear, or the worst group's (`SliceChecks`); `@ 95%` by a paired bootstrap of the kept
/// rows, groups redrawn with them. An unsliced fairness metric (`selection_rate`) is a plain
/// threshold, as in the accuracy suite.
enum FairnessChecks: SuiteChecks {
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        var result =
            check.subject.slice == nil
            ? ThresholdCheck.decide(check, candidate: m.evaluation.metrics, champion: m.champion.evaluation.metrics)
            : SliceChecks.decide(check, on: m)
        ConfidenceCheck.apply(check, resampling: m.resampling, comparisons: m.comparisons, to: &result)
        return result
    }
}
