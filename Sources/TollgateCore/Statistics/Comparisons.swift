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
