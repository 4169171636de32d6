/// Latency checks: a figure of the version's request latencies against a number or the
/// champion's; `@ 95%` from the exact bootstrap distribution of the figure (`LatencyIntervals`).
/// Under a live load the client could not keep to, every check is inconclusive, never a pass.
enum LatencyChecks: SuiteChecks {
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        guard let reason = m.latencyUntrusted else { return decideFigure(check, on: m) }
        var result = CheckResult(undecided: check)
        result.value = m.evaluation.metrics[check.subject.key]
        result.championValue = m.champion.evaluation.metrics[check.subject.key]
        result.outcome = .inconclusive
        result.message = reason
        return result
    }

    private static func decideFigure(_ check: Check, on m: Measurements) -> CheckResult {
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
