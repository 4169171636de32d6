/// Decides `@ delong α` and `@ mcnemar α` checks by the three-way rule of `@ 95%`.
///
/// Why not "not significantly different, so pass": on sixty rows a candidate eight points less
/// accurate than the champion is not significantly different, and a gate must not call that
/// "not worse". The check `metric >= champion + k @ test α` passes only when the data show
/// difference > k, fails only when they show difference < k, and is inconclusive otherwise
/// (see `MarginTest`). With no margin (k = 0) only a significantly better candidate can pass,
/// and the message says so when such a check is inconclusive.
enum SignificanceCheck {
    static func decide(
        _ check: Check, _ expression: Expression, test: Check.StatisticalTest, alpha: Double, comparisons: Comparisons?,
        into result: inout CheckResult
    ) {
        let name = test.rawValue
        guard let margin = expression.championOffset else {
            // The validator refuses these; an error here keeps the gate closed if one slips by.
            result.outcome = .error
            result.message = "'@ \(name)' needs a threshold of the form 'champion - margin'"
            return
        }
        let evidence: MarginTest? =
            switch test {
            case .delong: comparisons?.delong.map { MarginTest(delong: $0, margin: margin, alpha: alpha) }
            case .mcnemar: comparisons?.mcnemar.flatMap { t in t.rows.map { MarginTest(mcnemar: t, rows: $0, margin: margin, alpha: alpha) } }
            }
        guard let evidence else {
            result.outcome = .inconclusive
            result.message = "\(name)'s test against the champion is undefined here (the candidate is the champion, or a class has fewer than two rows)"
            return
        }
        result.test = evidence
        let figures = evidence.figures(metric: check.subject.key)
        switch evidence.verdict {
        case .pass:
            result.outcome = .pass
            result.message = "the data show the difference above the margin: \(figures)"
        case .fail:
            result.outcome = ThresholdCheck.failed(check)
            result.message = "the data show the difference below the margin: \(figures)"
        default:
            result.outcome = .inconclusive
            if evidence.z.isNaN {
                result.message = "the two versions are right and wrong on the same rows (or rank them alike), so there is no evidence either way: \(figures)"
            } else {
                result.message = "the bounds straddle the margin, so the data cannot tell: \(figures)"
            }
            if margin == 0 {
                result.message +=
                    ". Without a margin, '>= champion' claims the candidate is not worse at all, which finite data show only for a significantly better candidate; write the loss you accept, e.g. '\(check.subject.key) >= champion - 0.01 @ \(name) \(Formatting.decimal(alpha))'"
            }
        }
    }

}
