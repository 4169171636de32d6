/// Decides, before any data is read, whether this build can evaluate a check.
///
/// Failing here (exit 2, with the check's location) is the fail-closed promise: a check the
/// gate cannot evaluate must never be skipped and never count as a pass. What a metric
/// supports is read from its `MetricCatalog` entry.
enum CheckValidator {
    static func validate(_ check: Check, task: Task, sensitive: [String]) throws(TollgateError) {
        let subject = check.subject
        guard let info = MetricCatalog.info(subject.metric) else {
            let hint = NameSuggestion.hint(for: subject.metric, in: MetricCatalog.all.map(\.name))
            throw fail(check, "unknown metric '\(subject.metric)'\(hint)")
        }
        try validateSuite(check, info, task: task)
        try validateSlice(check, info, sensitive: sensitive)
        try validateConfidence(check, info, task: task)
        try validateCondition(check, info)
    }

    /// Listed under its suite, evaluated by this build, and meant for the config's task.
    private static func validateSuite(_ check: Check, _ info: MetricInfo, task: Task) throws(TollgateError) {
        let subject = check.subject
        // An accuracy metric per slice is a fairness question too: allow it under either suite.
        let sliceOfAccuracy = info.suite == .accuracy && check.suite == .fairness && subject.slice != nil
        guard info.suite == check.suite || sliceOfAccuracy else {
            throw fail(check, "'\(info.name)' is a \(info.suite) metric; list it under '\(info.suite):', not '\(check.suite):'")
        }
        guard info.isEvaluated else {
            throw fail(check, "the \(info.suite) suite is not evaluated by this version of tollgate, so '\(info.name)' cannot be gated")
        }
        guard info.tasks.contains(task) else {
            let fitting = MetricCatalog.all.filter { $0.isEvaluated && $0.tasks.contains(task) }.map(\.name)
            throw fail(check, "'\(info.name)' does not apply to a \(task.rawValue) task; \(task.rawValue) metrics are: \(fitting.joined(separator: ", "))")
        }
    }

    /// Drift metrics name columns; every other slice names distinct sensitive features; a disparity needs one.
    private static func validateSlice(_ check: Check, _ info: MetricInfo, sensitive: [String]) throws(TollgateError) {
        let subject = check.subject
        if info.suite == .drift {
            if info.name == "drifted_share" {
                guard subject.slice == nil else { throw fail(check, "'drifted_share' is one number for the dataset; drop the '[...]'") }
            } else {
                guard let slice = subject.slice, subject.aggregate == nil else {
                    throw fail(check, "'\(info.name)' is per column: name the columns, e.g. '\(info.name)[age]', or '\(info.name)[*]' for every column")
                }
                guard !slice.contains("*") || slice == ["*"] else { throw fail(check, "'*' stands alone: '\(info.name)[*]'") }
            }
        } else if let slice = subject.slice {
            if slice.contains("*") {
                throw fail(check, "'[*]' means every column and belongs to drift checks; name the sensitive features, e.g. '\(info.name)[sex]'")
            }
            for column in slice where !sensitive.contains(column) {
                let hint = NameSuggestion.hint(for: column, in: sensitive)
                throw fail(check, "'\(column)' is not a sensitive feature\(hint); list it under dataset.sensitive to slice by it")
            }
            guard Set(slice).count == slice.count else { throw fail(check, "a slice names each feature once") }
        }
        if info.isDisparity {
            guard subject.slice != nil else {
                throw fail(check, "'\(info.name)' compares groups; name the sensitive features, e.g. '\(info.name)[sex]'")
            }
            guard subject.aggregate == nil else {
                throw fail(check, "'\(info.name)' is already one value for the whole slice; drop '\(subject.aggregate!.rawValue)(...)'")
            }
        }
    }

    /// `@ 95%` needs a metric with an interval; `@ delong` / `@ mcnemar` the one metric the test compares.
    private static func validateConfidence(_ check: Check, _ info: MetricInfo, task: Task) throws(TollgateError) {
        let subject = check.subject
        guard let confidence = check.confidence else { return }
        switch info.suite {
        case .drift where info.interval == nil:
            throw fail(
                check,
                "'@ ...' applies to the drift distances (psi, js_distance, wasserstein_norm); '\(info.name)' is a test's verdict, which already weighs sampling noise"
            )
        case .nonfunctional:
            throw fail(check, "'\(info.name)' has no sampling noise (it is read from the artifact, the card or every row at once), so '@ ...' does not apply")
        default:
            break
        }
        guard case .compare(let op, let expression) = check.condition else { throw fail(check, "'@ ...' needs a comparison") }
        switch confidence {
        case .level:
            guard info.interval != nil else {
                let supported = MetricCatalog.resampledOnRows(for: task).sorted()
                throw fail(check, "'@ N%' cannot resample '\(info.name)' for a \(task.rawValue) task; it can for: \(supported.joined(separator: ", "))")
            }
            guard op != .equal else { throw fail(check, "'==' cannot be decided with an interval; use '<=', '>=', '<' or '>'") }
        case .test(let test, let alpha):
            let name = test.rawValue
            guard subject.slice == nil else { throw fail(check, "'@ \(name)' compares the whole evaluation; slices take '@ 95%'") }
            guard info.name == test.metric, task == .binary else {
                throw fail(
                    check,
                    "'@ \(name)' is not a test this build knows for '\(info.name)'; use 'roc_auc ... @ delong 0.05' or 'accuracy ... @ mcnemar 0.05' (binary tasks)"
                )
            }
            guard expression.mentionsChampion, op == .greater || op == .greaterOrEqual else {
                throw fail(
                    check,
                    "'@ \(name)' compares with the champion, where higher \(info.name) is better: write '\(info.name) >= champion - 0.01 @ \(name) 0.05' (not more than 0.01 worse) or '\(info.name) > champion @ \(name) 0.05' (better)"
                )
            }
            // The tests answer "is candidate − champion above k?"; a ratio is another question.
            guard expression.championOffset != nil else {
                throw fail(
                    check,
                    "'@ \(name)' tests the difference from the champion: write the threshold as 'champion - margin' (e.g. 'champion - 0.01'), not '\(expression)'"
                )
            }
            // Pass needs p < α for the claim, fail p < α for its opposite; both at once above 0.5.
            guard alpha < 0.5 else {
                throw fail(check, "'@ \(name) \(Formatting.decimal(alpha))': a significance level must lie below 0.5 (e.g. 0.05)")
            }
        }
    }

    /// The condition has the metric's form: a comparison, `present`, or `in [...]`.
    private static func validateCondition(_ check: Check, _ info: MetricInfo) throws(TollgateError) {
        switch (check.condition, info.condition) {
        case (.present, .presence), (.member, .membership), (.compare, .comparison): break
        case (_, .presence):
            throw fail(check, "'\(info.name)' is there or not: write '\(info.name) present'")
        case (_, .membership):
            throw fail(check, "write the licences you accept as a list: 'license in [mit, apache-2.0]'")
        case (_, .comparison):
            throw fail(check, "'\(info.name)' is a number; compare it with '<', '<=', '>', '>=' or '=='")
        }
    }

    private static func fail(_ check: Check, _ message: String) -> TollgateError {
        TollgateError(.check, at: check.subject.location, "\(message) in check '\(check.source)'")
    }
}
