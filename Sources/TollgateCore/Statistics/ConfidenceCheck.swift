/// The part of a row metric's check that accounts for sampling noise: `@ 95%` (a paired
/// bootstrap of the kept rows) and `@ delong 0.05` / `@ mcnemar 0.05` (significance tests
/// against the champion), applied after the point comparison.
///
/// A bootstrap check passes only if the whole interval of (value − threshold) clears zero,
/// fails only if the whole interval misses it, and is inconclusive otherwise
/// (`IntervalDecision`); the tests follow the same rule (`SignificanceCheck`).
enum ConfidenceCheck {
    /// Replaces the point decision in `result` when the check asks for confidence and the
    /// point comparison could be made; leaves it alone otherwise.
    static func apply(_ check: Check, resampling: Resampling?, comparisons: Comparisons?, to result: inout CheckResult) {
        guard let confidence = check.confidence, case .compare(let op, let expression) = check.condition, result.outcome != .error else { return }
        switch confidence {
        case .level(let level):
            guard let resampling, let subject = resampling.subject(of: check.subject) else {
                result.outcome = .error
                result.message = "the rows to resample were not kept for '\(check.source)'"
                return
            }
            bootstrap(check, op, expression, level: level, subject, resampling, into: &result)
        case .test(let test, let alpha):
            SignificanceCheck.decide(check, expression, test: test, alpha: alpha, comparisons: comparisons, into: &result)
        }
    }

    /// Each unit's interval of (value − threshold), the champion drawn on the same resample.
    private static func bootstrap(
        _ check: Check, _ op: ComparisonOperator, _ expression: Expression, level: Double,
        _ subject: Resampling.Subject, _ resampling: Resampling, into result: inout CheckResult
    ) {
        let candidate = subject.values(resampling.candidate)
        let champion = expression.mentionsChampion ? subject.values(resampling.champion) : nil
        var margins = [[Double]](repeating: [], count: subject.units.count)
        PairedBootstrap.forEachResample(rows: resampling.rowCount, settings: resampling.settings) { w in
            let values = candidate(w)
            let championValues = champion?(w)
            for u in margins.indices {
                let margin = values[u] - expression.evaluate(champion: championValues?[u])
                if !margin.isNaN { margins[u].append(margin) }
            }
        }
        var units: [IntervalDecision.Unit] = []
        var undefined: [String] = []
        for (name, values) in zip(subject.units, margins) {
            guard !values.isEmpty else {
                undefined.append(name)
                continue
            }
            let (lo, hi) = PairedBootstrap.interval(values, level: level)
            units.append(.init(name: name, lo: lo, hi: hi, dropped: resampling.settings.resamples - values.count))
        }
        let method = "\(Formatting.decimal(level * 100))% paired bootstrap interval over \(resampling.settings.resamples) resamples:"
        IntervalDecision.decide(
            check, op, expression, units: units, undefined: undefined, small: subject.small, minGroupSize: resampling.fairness.minGroupSize,
            method: method, into: &result)
    }

}
