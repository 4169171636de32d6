/// Latency checks: a figure of the version's request latencies against a number or the
/// champion's; `@ 95%` from the exact bootstrap distribution of the figure (`LatencyIntervals`).
enum LatencyChecks: SuiteChecks {
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        var result = SliceChecks.decideSubject(check, on: m)
        guard case .level(let level) = check.confidence, case .compare(let op, let expression) = check.condition, result.outcome != .error,
            let summary = m.latency
        else {
            ConfidenceCheck.apply(check, resampling: m.resampling, comparisons: m.comparisons, to: &result)
            return result
        }
        LatencyIntervals.decide(
            check, op, expression, level: level, candidate: summary, champion: m.champion.latency, settings: m.statistics, into: &result)
        return result
    }
}
