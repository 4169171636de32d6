/// Checks on slices: a disparity between groups, or a metric that every group must clear.
///
/// Small groups never decide a check by themselves: a comparison that involves a group below
/// the minimum size is inconclusive, and the message names the group and its size.
enum SliceChecks {
    /// The point decision of a check on a sliced subject; its `@ 95%` comes after, from `ConfidenceCheck`.
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        guard case .compare(let op, let expression) = check.condition else {
            return ThresholdCheck.decide(check, candidate: m.evaluation.metrics, champion: m.champion.evaluation.metrics)
        }
        var result = CheckResult(undecided: check)
        decide(check, op, expression, candidate: m.evaluation, champion: m.champion.evaluation, options: m.fairness, into: &result)
        return result
    }

    private static func decide(
        _ check: Check, _ op: ComparisonOperator, _ expression: Expression,
        candidate: VersionEvaluation, champion: VersionEvaluation?, options: FairnessOptions, into result: inout CheckResult
    ) {
        let subject = check.subject
        let sliceKey = subject.slice!.joined(separator: ", ")
        guard let slice = candidate.slices.first(where: { $0.key == sliceKey }) else {
            result.message = "the slice [\(sliceKey)] was not measured"
            return
        }
        let small = slice.groups.filter { $0.count < options.minGroupSize }
        let smallNote = small.map { "\($0.label) has \($0.count) rows" }.joined(separator: ", ")

        if MetricCatalog.isDisparity(subject.metric) {
            let key = subject.key
            let value = candidate.metrics[key] ?? .nan
            let championValue = champion?.metrics[key]
            let threshold = expression.evaluate(champion: championValue)
            result.value = value
            result.championValue = championValue
            result.threshold = threshold
            if !small.isEmpty {
                result.outcome = .inconclusive
                result.message = "\(key) = \(format(value)) compares groups too small to trust (\(smallNote); minimum \(options.minGroupSize))"
            } else if value.isNaN || threshold.isNaN {
                result.outcome = .inconclusive
                result.message = "\(key) is undefined on these rows (every group's rate is 0, a 0/0 ratio), so the check cannot pass or fail"
            } else {
                ThresholdCheck.settle(check, op.holds(value, threshold), "\(key) = \(format(value))", op, threshold, expression, championValue, &result)
            }
            return
        }

        // A metric per group: every group must clear it (min(...)/max(...) compare the worst).
        let higherIsWorse = op == .less || op == .lessOrEqual
        let championSlice = champion?.slices.first { $0.key == sliceKey }
        if let aggregate = subject.aggregate {
            let large = slice.groups.filter { $0.count >= options.minGroupSize }
            let values = large.compactMap { $0.metrics[subject.metric] }.filter { !$0.isNaN }
            let value = aggregate.of(values) ?? .nan
            let championValues = championSlice?.groups.filter { $0.count >= options.minGroupSize }.compactMap { $0.metrics[subject.metric] }.filter { !$0.isNaN } ?? []
            let championValue = aggregate.of(championValues)
            let threshold = expression.evaluate(champion: championValue)
            result.metric = "\(aggregate.rawValue)(\(subject.key))"
            result.value = value
            result.championValue = championValue
            result.threshold = threshold
            let which = large.first { $0.metrics[subject.metric] == value }.map { " (\($0.label))" } ?? ""
            if value.isNaN || threshold.isNaN {
                result.outcome = .inconclusive
                result.message = "\(result.metric) is undefined: no group large enough has a value"
            } else if !op.holds(value, threshold) {
                ThresholdCheck.settle(check, false, "\(result.metric) = \(format(value))\(which)", op, threshold, expression, championValue, &result)
            } else if !small.isEmpty {
                result.outcome = .inconclusive
                result.message = "\(result.metric) = \(format(value))\(which) clears the threshold, but \(smallNote) (minimum \(options.minGroupSize))"
            } else {
                ThresholdCheck.settle(check, true, "\(result.metric) = \(format(value))\(which)", op, threshold, expression, championValue, &result)
            }
            return
        }

        var failing: [String] = [], undecided: [String] = []
        var worstGroup: (label: String, value: Double, champion: Double?, threshold: Double)?
        for group in slice.groups {
            let value = group.metrics[subject.metric] ?? .nan
            let championValue = championSlice?.groups.first { $0.values == group.values }?.metrics[subject.metric]
            let threshold = expression.evaluate(champion: championValue)
            let named = "\(subject.metric)[\(group.label)] = \(format(value))"
            if group.count < options.minGroupSize {
                undecided.append("\(group.label) has \(group.count) rows")
                continue
            }
            if value.isNaN || threshold.isNaN {
                undecided.append("\(subject.metric)[\(group.label)] is undefined")
                continue
            }
            if !op.holds(value, threshold) { failing.append("\(named), expected \(op.rawValue) \(format(threshold))") }
            if worstGroup == nil || (higherIsWorse ? value > worstGroup!.value : value < worstGroup!.value) {
                worstGroup = (group.label, value, championValue, threshold)
            }
        }
        result.value = worstGroup?.value
        result.championValue = worstGroup?.champion
        result.threshold = worstGroup?.threshold
        if !failing.isEmpty {
            result.outcome = ThresholdCheck.failed(check)
            result.message = "\(failing.count) of \(slice.groups.count) groups fail: " + failing.joined(separator: "; ")
        } else if !undecided.isEmpty {
            result.outcome = .inconclusive
            result.message = "no group fails, but \(undecided.joined(separator: ", ")) (minimum \(options.minGroupSize) rows)"
        } else if let worstGroup {
            result.outcome = .pass
            result.message = "all \(slice.groups.count) groups clear it; the lowest margin is \(subject.metric)[\(worstGroup.label)] = \(format(worstGroup.value))"
        } else {
            result.outcome = .inconclusive
            result.message = "no group has a value"
        }
    }

    private static func format(_ x: Double) -> String { Figure.format(x) }
}
