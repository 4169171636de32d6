/// Checks about the version as an artefact: its size, card, licence, declared inputs,
/// integrity, and how much of the dataset it covers. Read whole, never sampled: `@ ...` does not
/// apply.
enum NonFunctionalChecks: SuiteChecks {
    static func decide(_ check: Check, on m: Measurements) -> CheckResult {
        var result = CheckResult(undecided: check)
        let version = m.version
        let name = check.subject.metric
        switch check.condition {
        case .compare:
            result = ThresholdCheck.decide(check, candidate: m.evaluation.metrics, champion: m.champion.evaluation.metrics)
            if name == "artifact_mb", m.evaluation.metrics[name]?.isNaN ?? true {
                result.outcome = .inconclusive
                result.message = "\(version.model)@\(version.version) declares no artifact, so its size is unknown"
            }
        case .present:
            let (ok, message) = presence(name, version: version, schemaProblems: m.schemaProblems)
            result.value = ok ? 1 : 0
            result.outcome = ok ? .pass : ThresholdCheck.failed(check)
            result.message = message
        case .member(let accepted):
            guard let license = version.license else {
                result.outcome = ThresholdCheck.failed(check)
                result.message = "\(version.model)@\(version.version) declares no licence (add 'license:' to version.yaml)"
                return result
            }
            let ok = accepted.contains { $0.lowercased() == license.lowercased() }
            result.outcome = ok ? .pass : ThresholdCheck.failed(check)
            result.message = ok ? "license \(license) is accepted" : "license \(license) is not one of: \(accepted.joined(separator: ", "))"
        }
        return result
    }

    private static func presence(_ name: String, version: ModelVersion, schemaProblems: [String: SchemaCheck.Problem]) -> (Bool, String) {
        switch name {
        case "model_card":
            guard let path = version.modelCard, let missing = ModelCard.missingSections(at: path) else {
                return (false, "\(version.model)@\(version.version) has no model card (MODEL_CARD.md)")
            }
            return missing.isEmpty
                ? (true, "the model card covers \(ModelCard.requiredSections.joined(separator: ", "))")
                : (false, "the model card lacks: \(missing.joined(separator: ", "))")
        case "sha256":
            guard let artifact = version.artifact else { return (false, "\(version.model)@\(version.version) declares no artifact") }
            return artifact.sha256 == nil
                ? (false, "version.yaml declares no sha256 for \(artifact.path), so its integrity cannot be verified")
                : (true, "the artifact matches the sha256 in version.yaml")
        default: // schema
            guard !version.schema.isEmpty else { return (false, "\(version.model)@\(version.version) declares no input schema") }
            let problems = version.schema.compactMap { schemaProblems[SchemaCheck.key($0)]?.message }
            return problems.isEmpty
                ? (true, "all \(version.schema.count) declared inputs are in the dataset with their types")
                : (false, problems.joined(separator: "; "))
        }
    }
}
