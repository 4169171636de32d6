/// Disparities between groups, as fairlearn 0.15 and Aequitas compute them.
///
/// fairlearn's scalars use `between_groups`: difference = max − min over groups, ratio =
/// min / max (0/0 is NaN), TPR and FPR of a group without positives (negatives) are 0.0.
/// Empty intersections never appear here (they would be NaN and skipped by fairlearn).
public enum FairnessMetrics {
    public static let names = [
        "demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference",
        "equalized_odds_ratio", "equal_opportunity_difference", "equal_opportunity_ratio", "disparate_impact"
    ]

    /// The scalars for one slice, keyed `name[slice]`, plus per-group disparate impact.
    static func compute(_ slice: SliceEvaluation, referenceGroup: String?) -> [String: Double] {
        let groups = slice.groups
        guard !groups.isEmpty else { return [:] }
        let selection = groups.map { $0.metrics["selection_rate"] ?? .nan }
        let tpr = groups.map { $0.metrics["recall"] ?? .nan }
        let fpr = groups.map { $0.metrics["false_positive_rate"] ?? .nan }
        let key = slice.key
        var out: [String: Double] = [
            "demographic_parity_difference[\(key)]": difference(selection),
            "demographic_parity_ratio[\(key)]": ratio(selection),
            // Python's max/min over [tpr, fpr], which keep the first on NaN.
            "equalized_odds_difference[\(key)]": pythonMax(difference(tpr), difference(fpr)),
            "equalized_odds_ratio[\(key)]": pythonMin(ratio(tpr), ratio(fpr)),
            "equal_opportunity_difference[\(key)]": difference(tpr),
            "equal_opportunity_ratio[\(key)]": ratio(tpr)
        ]
        // Aequitas: predicted prevalence of each group over the reference group's.
        let reference =
            referenceGroup.flatMap { name in groups.firstIndex { $0.values.joined(separator: ", ") == name } }
            ?? largest(groups.map(\.count))
        var worst = Double.nan
        for g in groups.indices {
            let di = aequitasDivide(selection[g], selection[reference])
            out["disparate_impact[\(groups[g].label)]"] = di
            if g != reference, !di.isNaN { worst = worst.isNaN ? di : min(worst, di) }
        }
        out["disparate_impact[\(key)]"] = worst
        return out
    }

    /// The reference group when none is configured: the largest, the first of equals.
    static func largest(_ counts: [Int]) -> Int {
        counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
    }

    static func difference(_ values: [Double]) -> Double {
        let defined = values.filter { !$0.isNaN }
        guard let lo = defined.min(), let hi = defined.max() else { return .nan }
        return hi - lo
    }

    static func ratio(_ values: [Double]) -> Double {
        let defined = values.filter { !$0.isNaN }
        guard let lo = defined.min(), let hi = defined.max() else { return .nan }
        return lo / hi // 0/0 is NaN, as in fairlearn
    }

    /// Aequitas' division: x/0 is 10 (`fill_divbyzero`), 0/0 and NaN stay NaN.
    static func aequitasDivide(_ x: Double, _ y: Double) -> Double {
        if x.isNaN || y.isNaN { return .nan }
        if y == 0 { return x == 0 ? .nan : 10 }
        return x / y
    }

    static func pythonMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }
    static func pythonMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
}
