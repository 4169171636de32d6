/// Step 5 of a run: every candidate's checks, in the order the config lists them, each decided
/// by its suite through `CheckRouter`.
struct DecidedChecks {
    /// By candidate version.
    var results: [String: [CheckResult]]

    static func decide(_ checks: [Check], for candidates: [ModelVersion], on measured: MeasuredRun) -> DecidedChecks {
        guard let first = candidates.first else { return DecidedChecks(results: [:]) }
        // Drift belongs to the data: decided once, the same result for every candidate.
        var once: [Int: CheckResult] = [:]
        let firstMeasurements = measured.measurements(of: first)
        for (index, check) in checks.enumerated() where check.suite.isDecidedOncePerRun {
            once[index] = CheckRouter.decide(check, on: firstMeasurements)
        }
        var results: [String: [CheckResult]] = [:]
        for candidate in candidates {
            let measurements = measured.measurements(of: candidate)
            results[candidate.version] = checks.enumerated().map { index, check in
                once[index] ?? CheckRouter.decide(check, on: measurements)
            }
        }
        return DecidedChecks(results: results)
    }
}
