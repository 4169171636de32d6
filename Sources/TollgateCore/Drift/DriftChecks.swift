/// Drift checks: a score per column (every column with `[*]`), or the share of drifted columns;
/// `@ 95%` on the distances from a bootstrap of both datasets (`DriftIntervals`). Drift belongs
/// to the data, so the gate decides these once per run, for every candidate alike.
enum DriftChecks: SuiteChecks {
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        var result = pointDecision(check, drift: m.drift.columnDrift, metrics: m.drift.metrics)
        if case .level(let level) = check.confidence, case .compare(let op, let expression) = check.condition, result.outcome != .error {
            DriftIntervals.decide(
                check, op, expression, level: level, columns: m.drift.columns.map { ($0.name, $0.reference.isNumerical) },
                samples: m.drift.samples, settings: m.statistics, into: &result)
        }
        return result
    }

    /// `psi[age]`, `drift_score[age]`, `drifted[age]` … and `drifted_share`, for the JSON.
    static func metrics(_ drift: [ColumnDrift]) -> [String: Double] {
        guard !drift.isEmpty else { return [:] }
        var out: [String: Double] = [:]
        for column in drift {
            for (name, value) in column.scores { out["\(name)[\(column.column)]"] = value }
            out["drift_score[\(column.column)]"] = column.score
            out["drifted[\(column.column)]"] = column.drifted ? 1 : 0
        }
        out["drifted_share"] = DatasetDrift.driftedShare(drift.map(\.drifted))
        return out
    }

    /// The point decision, on the scores measured once on all the rows.
    private static func pointDecision(_ check: Check, drift: [ColumnDrift], metrics: [String: Double]) -> CheckResult {
        var result = CheckResult(undecided: check)
        guard case .compare(let op, let expression) = check.condition else { return result }
        let threshold = expression.evaluate(champion: nil)
        result.threshold = threshold
        let name = check.subject.metric
        guard let slice = check.subject.slice else {
            let value = metrics[name] ?? .nan
            result.value = value
            result.outcome = op.holds(value, threshold) ? .pass : (ThresholdCheck.failed(check))
            let drifted = drift.filter(\.drifted).map { "\($0.column) (\($0.test.rawValue))" }
            result.message = "\(name) = \(Formatting.decimal(value)); drifted: \(drifted.isEmpty ? "none" : drifted.joined(separator: ", "))"
            return result
        }
        let columns = slice == ["*"] ? drift : drift.filter { slice.contains($0.column) }
        var failing: [String] = []
        var skipped: [String] = []
        var worst: (column: String, value: Double)?
        let higherIsWorse = op == .less || op == .lessOrEqual
        for column in columns {
            let scoreName = name == "drift_score" ? column.test.rawValue : name
            guard let value = name == "drift_score" ? column.score : column.scores[name], !value.isNaN else {
                skipped.append(column.column)
                continue
            }
            if !op.holds(value, threshold) {
                failing.append("\(name)[\(column.column)] = \(Formatting.decimal(value))\(name == "drift_score" ? " (\(scoreName))" : "")")
            }
            if worst == nil || (higherIsWorse ? value > worst!.value : value < worst!.value) { worst = (column.column, value) }
        }
        result.value = worst?.value
        if slice != ["*"], !skipped.isEmpty {
            result.outcome = .error
            result.message =
                "\(name) does not apply to \(skipped.joined(separator: ", ")) (\(name == "ks_pvalue" || name == "wasserstein_norm" ? "a numerical test on a categorical column" : "no value"))"
        } else if !failing.isEmpty {
            result.outcome = ThresholdCheck.failed(check)
            result.message =
                "\(failing.count) of \(columns.count - skipped.count) columns drift: \(failing.joined(separator: "; ")), expected \(op.rawValue) \(Formatting.decimal(threshold))"
        } else if let worst {
            result.outcome = .pass
            result.message =
                "all \(columns.count - skipped.count) columns clear it; the closest is \(name)[\(worst.column)] = \(Formatting.decimal(worst.value))\(skipped.isEmpty ? "" : " (\(skipped.joined(separator: ", ")) not numerical)")"
        } else {
            result.outcome = .inconclusive
            result.message = "no column has a \(name)"
        }
        return result
    }

}
