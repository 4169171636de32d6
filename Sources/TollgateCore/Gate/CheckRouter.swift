/// The one place a check is routed: its suite's `SuiteChecks` decides it on the version's
/// measurements. A new suite is a case of `Suite`, a file implementing `SuiteChecks` in the
/// suite's folder, and one line here.
enum CheckRouter {
    static func decide(_ check: Check, on measurements: Measurements) -> CheckResult {
        switch check.suite {
        case .accuracy: return AccuracyChecks.decide(check, on: measurements)
        case .fairness: return FairnessChecks.decide(check, on: measurements)
        case .latency: return LatencyChecks.decide(check, on: measurements)
        case .drift: return DriftChecks.decide(check, on: measurements)
        case .nonfunctional: return NonFunctionalChecks.decide(check, on: measurements)
        case .canary:
            // Decided on live events by `CanaryAnalysis`; a gate config cannot list them, and
            // one that slipped through must block, not pass.
            var result = CheckResult(undecided: check)
            result.message = "this build cannot evaluate '\(check.source)'"
            return result
        }
    }
}
