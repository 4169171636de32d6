/// Step 3 of a run: every version's predictions, opened through the scorer its `version.yaml`
/// names, before any data is read.
struct ScoredVersions {
    /// Each distinct version once, champion first, as the evaluation pass takes them.
    var inputs: [Evaluator.Input]

    static func score(_ versions: [ModelVersion], for config: GateConfig, with scorers: ScorerFactory) throws(TollgateError) -> ScoredVersions {
        var inputs: [Evaluator.Input] = []
        for version in versions {
            let stream = try scorers.scorer(for: version).predictions(for: config.dataset)
            try requireLayout(stream.layout, of: version, for: config.checks)
            inputs.append(Evaluator.Input(version: version.version, stream: stream))
        }
        return ScoredVersions(inputs: inputs)
    }

    /// Probability metrics need probability columns: say so before reading any data.
    private static func requireLayout(_ layout: PredictionLayout, of version: ModelVersion, for checks: [Check]) throws(TollgateError) {
        guard layout == .label else { return }
        for check in checks where MetricCatalog.info(check.subject.metric)?.needsProbabilities == true {
            throw TollgateError(
                .check, at: check.subject.location,
                "'\(check.subject.metric)' needs class probabilities, but the predictions of \(version.model)@\(version.version) "
                    + "have only a 'prediction' label column (add p_<class> columns) in check '\(check.source)'")
        }
    }
}
