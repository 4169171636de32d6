/// Checks on slices: a disparity between groups, a metric that every group must clear, or the
/// worst group's (`min(...)` / `max(...)`).
///
/// Small groups never decide a check by themselves: a comparison that involves a group below
/// the minimum size is inconclusive, and the message names the group and its size.
enum SliceChecks {
    /// A subject of the evaluated rows, sliced or not: an unsliced metric is a plain threshold,
    /// a sliced one is decided per group. Every suite that reads rows starts here.
    static func decideSubject(_ check: Check, on m: Measurements) -> CheckResult {
        check.subject.slice == nil
            ? ThresholdCheck.decide(check, candidate: m.evaluation.metrics, champion: m.champion.evaluation.metrics)
            : decide(check, on: m)
    }

    /// The point decision of a check on a sliced subject; its `@ 95%` comes after, from `ConfidenceCheck`.
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        guard case .compare(let op, let expression) = check.condition else {
            return ThresholdCheck.decide(check, candidate: m.evaluation.metrics, champion: m.champion.evaluation.metrics)
        }
        var result = CheckResult(undecided: check)
        let sliceKey = check.subject.slice!.joined(separator: ", ")
        guard let slice = m.evaluation.slices.first(where: { $0.key == sliceKey }) else {
            result.message = "the slice [\(sliceKey)] was not measured"
            return result
        }
        let sliced = Sliced(
            check: check, op: op, expression: expression, slice: slice, candidate: m.evaluation,
            champion: m.champion.evaluation, minimum: m.fairness.minGroupSize)
        if MetricCatalog.isDisparity(check.subject.metric) {
            sliced.disparity(into: &result)
        } else if let aggregate = check.subject.aggregate {
            sliced.worstGroup(aggregate, into: &result)
        } else {
            sliced.everyGroup(into: &result)
        }
        return result
    }

    /// One sliced check on one candidate, and what it is compared with.
    private struct Sliced {
        var check: Check
        var op: ComparisonOperator
        var expression: Expression
        var slice: SliceEvaluation
        var candidate: VersionEvaluation
        var champion: VersionEvaluation
        var minimum: Int

        var metric: String { check.subject.metric }
        var small: [GroupEvaluation] { slice.groups.filter { $0.count < minimum } }
        var smallNote: String { small.map { "\($0.label) has \($0.count) rows" }.joined(separator: ", ") }
        var championSlice: SliceEvaluation? { champion.slices.first { $0.key == slice.key } }

        /// One value for the whole slice (`demographic_parity_ratio[sex]`), measured on all its groups.
        func disparity(into result: inout CheckResult) {
            let key = check.subject.key
            let value = candidate.metrics[key] ?? .nan
            let championValue = champion.metrics[key]
            let threshold = expression.evaluate(champion: championValue)
            result.value = value
            result.championValue = championValue
            result.threshold = threshold
            if !small.isEmpty {
                result.outcome = .inconclusive
                result.message = "\(key) = \(Formatting.decimal(value)) compares groups too small to trust (\(smallNote); minimum \(minimum))"
            } else if value.isNaN || threshold.isNaN {
                result.outcome = .inconclusive
                result.message = "\(key) is undefined on these rows (every group's rate is 0, a 0/0 ratio), so the check cannot pass or fail"
            } else {
                ThresholdCheck.settle(
                    check, op.holds(value, threshold), "\(key) = \(Formatting.decimal(value))", op, threshold, expression, championValue, &result)
            }
        }

        /// `min(recall[age_band]) >= 0.6`: the worst large group decides; small groups can only hold a pass back.
        func worstGroup(_ aggregate: Check.Aggregate, into result: inout CheckResult) {
            let large = slice.groups.filter { $0.count >= minimum }
            let value = aggregate.of(large.compactMap { $0.metrics[metric] }.filter { !$0.isNaN }) ?? .nan
            let championLarge = championSlice?.groups.filter { $0.count >= minimum } ?? []
            let championValue = aggregate.of(championLarge.compactMap { $0.metrics[metric] }.filter { !$0.isNaN })
            let threshold = expression.evaluate(champion: championValue)
            result.metric = "\(aggregate.rawValue)(\(check.subject.key))"
            result.value = value
            result.championValue = championValue
            result.threshold = threshold
            let which = large.first { $0.metrics[metric] == value }.map { " (\($0.label))" } ?? ""
            let stated = "\(result.metric) = \(Formatting.decimal(value))\(which)"
            if value.isNaN || threshold.isNaN {
                result.outcome = .inconclusive
                result.message = "\(result.metric) is undefined: no group large enough has a value"
            } else if !op.holds(value, threshold) {
                ThresholdCheck.settle(check, false, stated, op, threshold, expression, championValue, &result)
            } else if !small.isEmpty {
                result.outcome = .inconclusive
                result.message = "\(stated) clears the threshold, but \(smallNote) (minimum \(minimum))"
            } else {
                ThresholdCheck.settle(check, true, stated, op, threshold, expression, championValue, &result)
            }
        }

        /// `recall[age_band] >= 0.6`: every group must clear it; the result reports the group closest to failing.
        func everyGroup(into result: inout CheckResult) {
            let higherIsWorse = op == .less || op == .lessOrEqual
            var failing: [String] = []
            var undecided: [String] = []
            var worst: (label: String, value: Double, champion: Double?, threshold: Double)?
            for group in slice.groups {
                let value = group.metrics[metric] ?? .nan
                let championValue = championSlice?.groups.first { $0.values == group.values }?.metrics[metric]
                let threshold = expression.evaluate(champion: championValue)
                if group.count < minimum {
                    undecided.append("\(group.label) has \(group.count) rows")
                    continue
                }
                if value.isNaN || threshold.isNaN {
                    undecided.append("\(metric)[\(group.label)] is undefined")
                    continue
                }
                if !op.holds(value, threshold) {
                    failing.append("\(metric)[\(group.label)] = \(Formatting.decimal(value)), expected \(op.rawValue) \(Formatting.decimal(threshold))")
                }
                if worst == nil || (higherIsWorse ? value > worst!.value : value < worst!.value) {
                    worst = (group.label, value, championValue, threshold)
                }
            }
            result.value = worst?.value
            result.championValue = worst?.champion
            result.threshold = worst?.threshold
            if !failing.isEmpty {
                result.outcome = ThresholdCheck.failed(check)
                result.message = "\(failing.count) of \(slice.groups.count) groups fail: " + failing.joined(separator: "; ")
            } else if !undecided.isEmpty {
                result.outcome = .inconclusive
                result.message = "no group fails, but \(undecided.joined(separator: ", ")) (minimum \(minimum) rows)"
            } else if let worst {
                result.outcome = .pass
                result.message =
                    "all \(slice.groups.count) groups clear it; the lowest margin is \(metric)[\(worst.label)] = \(Formatting.decimal(worst.value))"
            } else {
                result.outcome = .inconclusive
                result.message = "no group has a value"
            }
        }
    }
}
