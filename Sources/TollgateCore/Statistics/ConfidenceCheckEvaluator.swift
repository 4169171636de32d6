/// Checks that account for sampling noise: `@ 95%` (paired bootstrap) and `@ delong 0.05` /
/// `@ mcnemar 0.05` (significance tests against the champion).
///
/// A bootstrap check passes only if the whole interval of (value − threshold) clears zero,
/// fails only if the whole interval misses it, and is inconclusive otherwise; the tests follow
/// the same rule (`SignificanceCheckEvaluator`).
enum ConfidenceCheckEvaluator {
    static func evaluate(
        _ check: Check, _ op: ComparisonOperator, _ expression: Expression, resampling: Resampling?,
        comparisons: Comparisons?, into result: inout CheckResult
    ) {
        switch check.confidence {
        case .level(let level):
            guard let resampling, let subject = resampling.subject(of: check.subject) else {
                result.outcome = .error
                result.message = "the rows to resample were not kept for '\(check.source)'"
                return
            }
            bootstrap(check, op, expression, level: level, subject, resampling, into: &result)
        case .test(let name, let alpha):
            SignificanceCheckEvaluator.evaluate(check, expression, test: name, alpha: alpha, comparisons: comparisons, into: &result)
        case nil:
            break
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
            let values = candidate(w), championValues = champion?(w)
            for u in margins.indices {
                let margin = values[u] - expression.evaluate(champion: championValues?[u])
                if !margin.isNaN { margins[u].append(margin) }
            }
        }
        var units: [Unit] = [], undefined: [String] = []
        for (name, values) in zip(subject.units, margins) {
            guard !values.isEmpty else { undefined.append(name); continue }
            let (lo, hi) = PairedBootstrap.interval(values, level: level)
            units.append(Unit(name: name, lo: lo, hi: hi, dropped: resampling.settings.resamples - values.count))
        }
        let method = "\(CheckEvaluator.format(level * 100))% paired bootstrap interval over \(resampling.settings.resamples) resamples:"
        decide(
            check, op, expression, units: units, undefined: undefined, small: subject.small, minGroupSize: resampling.fairness.minGroupSize,
            method: method, into: &result)
    }

    /// One interval of (value − threshold): a metric's, or one group's.
    struct Unit {
        var name: String
        var lo: Double
        var hi: Double
        /// Resamples on which the value was undefined.
        var dropped = 0
    }

    /// Passes when every unit's interval clears the threshold, fails when one misses it
    /// altogether, and is inconclusive otherwise or when groups too small to trust are left out.
    static func decide(
        _ check: Check, _ op: ComparisonOperator, _ expression: Expression, units: [Unit], undefined: [String],
        small: [String] = [], minGroupSize: Int = 0, method intro: String, into result: inout CheckResult
    ) {
        let lower = op == .greater || op == .greaterOrEqual
        let subject = (units.map(\.name) + undefined)
        func clears(_ u: Unit) -> Bool { lower ? (op == .greater ? u.lo > 0 : u.lo >= 0) : (op == .less ? u.hi < 0 : u.hi <= 0) }
        func misses(_ u: Unit) -> Bool { lower ? u.hi < 0 : u.lo > 0 }
        // The unit that decides: the first that misses, else the one closest to the threshold.
        let missing = units.filter(misses)
        let deciding = missing.first ?? units.min { lower ? $0.lo < $1.lo : $0.hi > $1.hi }
        let thresholdShift = expression.mentionsChampion ? 0 : (result.threshold ?? 0)
        if let deciding { result.interval = [deciding.lo + thresholdShift, deciding.hi + thresholdShift] }
        func describe(_ u: Unit) -> String {
            let subject = expression.mentionsChampion ? "\(u.name) − (\(expression))" : "\(u.name) − \(expression)"
            return "\(subject) is [\(CheckEvaluator.format(u.lo)), \(CheckEvaluator.format(u.hi))]\(u.dropped > 0 ? " (\(u.dropped) resamples undefined, dropped)" : "")"
        }
        let smallNote = small.isEmpty ? "" : "; \(small.joined(separator: ", ")) (minimum \(minGroupSize))"
        let disparity = MetricCatalog.isDisparity(check.subject.metric)
        if disparity && !small.isEmpty {
            result.outcome = .inconclusive
            result.message = "\(intro) \(units.map(describe).joined(separator: "; ")), but it compares groups too small to trust\(smallNote)"
        } else if !missing.isEmpty {
            result.outcome = check.severity == .warn ? .warn : .fail
            let which = subject.count > 1 ? "\(missing.count) of \(subject.count) groups miss \(op.rawValue) 0: " : ""
            result.message = "\(intro) \(which)\(missing.map(describe).joined(separator: "; "))\(subject.count > 1 ? "" : ": misses \(op.rawValue) 0")"
        } else if units.isEmpty {
            result.outcome = .inconclusive
            result.message = "\(check.subject.key) is undefined on every resample\(smallNote)"
        } else if !undefined.isEmpty || !units.allSatisfy(clears) {
            result.outcome = .inconclusive
            let straddling = units.filter { !clears($0) }
            let parts = straddling.map(describe) + undefined.map { "\($0) is undefined on every resample" }
            result.message = "\(intro) \(parts.joined(separator: "; ")): it straddles 0, so the data cannot tell\(smallNote)"
        } else if !small.isEmpty {
            result.outcome = .inconclusive
            result.message = "\(intro) \(describe(deciding!)) clears \(op.rawValue) 0, but groups too small to trust are left out\(smallNote)"
        } else {
            result.outcome = .pass
            let which = subject.count > 1 ? "all \(subject.count) groups clear \(op.rawValue) 0; the closest: " : ""
            result.message = "\(intro) \(which)\(describe(deciding!))\(subject.count > 1 ? "" : ": clears \(op.rawValue) 0")"
        }
    }
}

/// Significance tests of a candidate against the champion on the same rows (binary tasks),
/// both worked out during the evaluation without keeping rows: McNemar always, DeLong when a
/// check compares ROC AUC with the champion or asks for it, or with `--intervals`.
public struct Comparisons: Sendable, Equatable, Codable {
    public var delong: DeLongTest?
    public var mcnemar: McNemarTest?

    static func from(_ evaluation: VersionEvaluation) -> Comparisons? {
        guard evaluation.mcnemar != nil || evaluation.delong != nil else { return nil }
        return Comparisons(delong: evaluation.delong, mcnemar: evaluation.mcnemar)
    }
}
