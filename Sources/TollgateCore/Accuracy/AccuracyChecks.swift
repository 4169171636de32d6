/// Accuracy checks: a metric of the evaluated rows against a number or the champion's value;
/// `@ 95%` by a paired bootstrap of the kept rows, `@ delong` / `@ mcnemar` by a test against
/// the champion. A sliced subject (`recall[sex]`) is a fairness question whatever suite lists
/// it, and is decided per group by `SliceChecks`.
enum AccuracyChecks: SuiteChecks {
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        var result = SliceChecks.decideSubject(check, on: m)
        ConfidenceCheck.apply(check, resampling: m.resampling, comparisons: m.comparisons, to: &result)
        return result
    }
}
