/// A metric against a number or the champion's value: the comparison every suite starts from,
/// and the wording every table uses.
enum ThresholdCheck {
    /// The metric named by `check` in the candidate's and the champion's metrics.
    static func decide(_ check: Check, candidate: [String: Double], champion: [String: Double]?) -> CheckResult {
        let key = check.subject.key
        var result = CheckResult(undecided: check)
        result.value = candidate[key]
        result.championValue = champion?[key]
        guard case .compare(let op, let expression) = check.condition else {
            result.message = "this build cannot evaluate '\(check.source)'"
            return result
        }
        guard let value = candidate[key] else {
            result.message = "'\(key)' was not measured for this candidate"
            return result
        }
        let threshold = expression.evaluate(champion: champion?[key])
        result.threshold = threshold
        if value.isNaN {
            result.outcome = .inconclusive
            result.message = "\(key) is undefined on these rows (\(undefinedReason(key))), so the check cannot pass or fail"
            return result
        }
        if threshold.isNaN {
            result.outcome = .inconclusive
            result.message = "the champion's \(key) is undefined on these rows, so there is nothing to compare with"
            return result
        }
        settle(check, op.holds(value, threshold), "\(key) = \(Formatting.decimal(value))", op, threshold, expression, champion?[key], &result)
        return result
    }

    /// Sets the outcome of a comparison that could be decided, in the wording every table uses:
    /// `roc_auc = 0.71, expected >= 0.73 (champion - 0.01 with champion = 0.74)`.
    static func settle(
        _ check: Check, _ holds: Bool, _ stated: String, _ op: ComparisonOperator, _ threshold: Double,
        _ expression: Expression, _ championValue: Double?, _ result: inout CheckResult
    ) {
        let described =
            expression.mentionsChampion
            ? "\(Formatting.decimal(threshold)) (\(expression) with champion = \(Formatting.decimal(championValue ?? .nan)))"
            : Formatting.decimal(threshold)
        if holds {
            result.outcome = .pass
            result.message = "\(stated) \(op.rawValue) \(described)"
        } else {
            result.outcome = failed(check)
            result.message = "\(stated), expected \(op.rawValue) \(described)"
        }
    }

    /// A check that does not hold fails, or only warns when its severity says so.
    static func failed(_ check: Check) -> Outcome { check.severity == .warn ? .warn : .fail }

    private static func undefinedReason(_ key: String) -> String {
        key.hasPrefix("roc_auc") ? "only one class is present" : "a ratio with nothing to divide by"
    }

}
