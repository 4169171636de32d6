import TollgateCore

extension CanaryAnalysisRecord {
    /// The history's record of one look: what `tollgate canary` printed and wrote as JSON, plus
    /// each check's margin and direction (so the site can draw the margin line) and the events
    /// the look read per arm. Non-finite numbers are recorded as unknown (null).
    public init(
        id: String, analysis: String, at: Instant, config: CanaryConfig, verdict: CanaryVerdict, newEvents: CanaryEventCounts, recordedAt: Instant
    ) {
        func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
        let checks = zip(config.checks, verdict.checks).map { check, result in
            Check(
                expression: result.expression, severity: result.severity.rawValue, margin: check.margin.isFinite ? check.margin : 0,
                badDirection: check.badDirection.rawValue, nBaseline: result.look.baselineCount, nCanary: result.look.canaryCount,
                estimate: finite(result.look.estimate), lower: finite(result.look.lower), upper: finite(result.look.upper),
                pValue: finite(result.look.pValue), outcome: result.look.outcome.rawValue, reason: result.look.reason)
        }
        self.init(
            id: id, analysis: analysis, model: config.model, at: at, baseline: config.baseline, canary: config.canary, mode: config.mode.rawValue,
            look: verdict.looks, verdict: verdict.verdict.rawValue, checks: checks, baselineEvents: newEvents.baseline,
            canaryEvents: newEvents.canary, recordedAt: recordedAt)
    }
}
